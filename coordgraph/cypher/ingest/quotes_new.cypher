// From posts created in this transaction (no relationships yet): CREATE, no MERGE needed.
UNWIND $rows AS row
MATCH (t:Tweet {id: row.src})
MATCH (q:Tweet {id: row.dst})
CREATE (t)-[:QUOTES]->(q)
