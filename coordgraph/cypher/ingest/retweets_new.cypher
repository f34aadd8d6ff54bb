// Retweets whose id is not in the graph (the writer looked it up in this transaction), grouped by the post
// retweeted so that each post is found once; the uniqueness constraint on RETWEETED.id still guards against a
// concurrent load.
UNWIND $rows AS post
MATCH (t:Tweet {id: post.tweet_id})
UNWIND post.retweets AS row
MATCH (a:Account {id: row.account_id})
CREATE (a)-[:RETWEETED {id: row.id, at_ms: row.at_ms, at: datetime({epochMillis: row.at_ms})}]->(t)
