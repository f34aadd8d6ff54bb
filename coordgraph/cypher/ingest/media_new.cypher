// From posts created in this transaction (no relationships yet): CREATE the edge; the media node is shared, MERGE.
UNWIND $rows AS row
MATCH (t:Tweet {id: row.tweet_id})
MERGE (m:Media {key: row.key})
CREATE (t)-[:SHOWS]->(m)
