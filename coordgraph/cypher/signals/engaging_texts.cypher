// Texts of the posts (originals, replies, quotes) of the accounts that engage a target (retweet, reply to or
// quote a target's post, or mention a target), or of every account without $engaging_only: read once per run
// for the language and near-duplicate signals, each of which keeps its share (language: accounts that are not
// targets, the benchmark being the other accounts engaging the same targets; near-duplicate: replies and
// quotes). The posts are read per account in a subquery so the planner filters accounts first (otherwise it
// tests the engagement of every post's author).
MATCH (a:Account)
WHERE NOT $engaging_only
   OR EXISTS { (a)-[:RETWEETED]->(:Tweet)<-[:POSTED]-(:Target) }
   OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:REPLY_TO|QUOTES]->(:Tweet)<-[:POSTED]-(:Target) }
   OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:MENTIONS]->(:Target) }
CALL (a) {
  MATCH (a)-[:POSTED]->(t:Tweet)
  WHERE t.text IS NOT NULL AND NOT coalesce(t.stub, false)
  RETURN t
}
RETURN a.id AS account_id, a:Target AS target, t.id AS post_id, t.kind AS kind, t.created_ms AS at, t.text AS text
