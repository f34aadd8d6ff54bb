// What of a batch is in the graph already, read inside the batch's own write transaction: accounts (with their
// profile time and whether they have a username), posts (whether stub, whether the author is known) and retweet
// ids with their endpoints (an id given other endpoints by the batch is a conflict the writer rejects). Whatever is absent is created with CREATE; a concurrent load creating the same id makes the CREATE break a
// uniqueness constraint, and the writer then redoes the batch with MERGE.
CALL () {
  UNWIND $account_ids AS id
  MATCH (a:Account {id: id})
  RETURN collect([id, a.profile_ms, a.username IS NOT NULL]) AS accounts
}
CALL () {
  UNWIND $tweet_ids AS id
  MATCH (t:Tweet {id: id})
  RETURN collect([id, coalesce(t.stub, false), t.author_id IS NOT NULL]) AS tweets
}
CALL () {
  UNWIND $retweet_ids AS id
  MATCH (a:Account)-[r:RETWEETED {id: id}]->(t:Tweet)
  RETURN collect([id, a.id, t.id]) AS retweets
}
RETURN accounts, tweets, retweets
