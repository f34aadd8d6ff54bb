// From posts created in this transaction (no relationships yet): CREATE, no MERGE needed.
UNWIND $rows AS row
MATCH (t:Tweet {id: row.src})
MATCH (p:Tweet {id: row.dst})
CREATE (t)-[:REPLY_TO]->(p)
