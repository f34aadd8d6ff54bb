// Retweet ids already in the graph with other endpoints: loading them again would break the uniqueness of
// RETWEETED.id, so the rows are rejected with this explanation instead.
UNWIND $rows AS row
MATCH (a:Account)-[r:RETWEETED {id: row.id}]->(t:Tweet)
WHERE a.id <> row.account_id OR t.id <> row.tweet_id
RETURN row.id AS id, a.id AS account_id, t.id AS tweet_id
