// From posts created in this transaction (no relationships yet): CREATE the edge; URL and domain are shared, MERGE.
UNWIND $rows AS row
MATCH (t:Tweet {id: row.tweet_id})
MERGE (u:Url {url: row.url})
CREATE (t)-[:LINKS]->(u)
WITH u, row
WHERE row.domain IS NOT NULL
MERGE (d:Domain {name: row.domain})
MERGE (u)-[:ON_DOMAIN]->(d)
