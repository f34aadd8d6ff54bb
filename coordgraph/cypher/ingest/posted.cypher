// (author)-[:POSTED]->(post) for full posts and for stubs whose author is known.
UNWIND $rows AS row
MATCH (t:Tweet {id: row.id})
MATCH (a:Account {id: row.author_id})
MERGE (a)-[:POSTED]->(t)
