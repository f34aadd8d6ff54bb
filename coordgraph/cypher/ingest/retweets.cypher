// Retweets (reposts, shares) are relationships: (account)-[:RETWEETED {id, at, at_ms}]->(post).
UNWIND $rows AS row
MATCH (a:Account {id: row.account_id})
MATCH (t:Tweet {id: row.tweet_id})
MERGE (a)-[r:RETWEETED {id: row.id}]->(t)
ON CREATE SET r.at_ms = row.at_ms, r.at = datetime({epochMillis: row.at_ms})
