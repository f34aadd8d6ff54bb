// POSTED for posts created in this transaction: they have no relationships yet, so CREATE cannot duplicate.
UNWIND $rows AS row
MATCH (t:Tweet {id: row.id})
MATCH (a:Account {id: row.author_id})
CREATE (a)-[:POSTED]->(t)
