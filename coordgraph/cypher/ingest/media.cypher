UNWIND $rows AS row
MATCH (t:Tweet {id: row.tweet_id})
MERGE (m:Media {key: row.key})
MERGE (t)-[:SHOWS]->(m)
