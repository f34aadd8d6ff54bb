UNWIND $rows AS row
MATCH (t:Tweet {id: row.src})
MATCH (p:Tweet {id: row.dst})
MERGE (t)-[:REPLY_TO]->(p)
