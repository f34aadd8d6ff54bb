// From posts created in this transaction (no relationships yet): CREATE, no MERGE needed.
UNWIND $rows AS row
MATCH (t:Tweet {id: row.tweet_id})
MATCH (a:Account {id: row.account_id})
CREATE (t)-[:MENTIONS]->(a)
