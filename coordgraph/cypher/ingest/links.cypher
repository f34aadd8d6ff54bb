UNWIND $rows AS row
MATCH (t:Tweet {id: row.tweet_id})
MERGE (u:Url {url: row.url})
MERGE (t)-[:LINKS]->(u)
WITH u, row
WHERE row.domain IS NOT NULL
MERGE (d:Domain {name: row.domain})
MERGE (u)-[:ON_DOMAIN]->(d)
