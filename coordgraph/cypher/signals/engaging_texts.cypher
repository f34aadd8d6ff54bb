// Texts of the posts (originals, replies, quotes) of the accounts that engage a target (retweet, reply to or
// quote a target's post, or mention a target), or of every account without $engaging_only: read once per run
// for the language and near-duplicate signals, each of which keeps its share (language: accounts that are not
// targets, the benchmark being the other accounts engaging the same targets; near-duplicate: replies and
// quotes). The engaging accounts are found from the targets' side (testing each account's engagements instead
// cost the server seconds on accounts with many retweets of other posts); the accounts are then taken in the
// store's order, each with its posts as [post_id, kind, at, text] lists (one row per account: one per post cost
// the driver several times the query).
CALL () {
  CALL () {
    MATCH (:Target)-[:POSTED]->(:Tweet)<-[:RETWEETED]-(a:Account)
    RETURN a
    UNION
    MATCH (:Target)-[:POSTED]->(:Tweet)<-[:REPLY_TO|QUOTES]-(:Tweet)<-[:POSTED]-(a:Account)
    RETURN a
    UNION
    MATCH (:Target)<-[:MENTIONS]-(:Tweet)<-[:POSTED]-(a:Account)
    RETURN a
  }
  RETURN collect(a) AS engaging
}
MATCH (a:Account)
WHERE NOT $engaging_only OR a IN engaging
CALL (a) {
  MATCH (a)-[:POSTED]->(t:Tweet)
  WHERE t.text IS NOT NULL AND NOT coalesce(t.stub, false)
  RETURN collect([t.id, t.kind, t.created_ms, t.text]) AS posts
}
WITH a, posts
WHERE size(posts) > 0
RETURN a.id AS account_id, a:Target AS target, posts
