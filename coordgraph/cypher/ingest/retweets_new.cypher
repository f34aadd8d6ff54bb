// Retweets whose id is not in the graph (the writer looked it up in this transaction); the uniqueness
// constraint on RETWEETED.id still guards against a concurrent load.
UNWIND $rows AS row
MATCH (a:Account {id: row.account_id})
MATCH (t:Tweet {id: row.tweet_id})
CREATE (a)-[:RETWEETED {id: row.id, at_ms: row.at_ms, at: datetime({epochMillis: row.at_ms})}]->(t)
