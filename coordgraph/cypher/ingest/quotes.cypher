UNWIND $rows AS row
MATCH (t:Tweet {id: row.src})
MATCH (q:Tweet {id: row.dst})
MERGE (t)-[:QUOTES]->(q)
