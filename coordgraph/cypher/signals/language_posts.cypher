// Texts of the posts (originals, replies, quotes) written by non-target accounts. With $engaging_only, only
// accounts that engage a target (retweet, reply to or quote a target's post, or mention a target) are read:
// the benchmark is the other accounts engaging the same targets. The posts are read per account in a
// subquery so the planner filters accounts first (otherwise it tests the engagement of every post's author).
MATCH (a:Account)
WHERE NOT a:Target
  AND (NOT $engaging_only
       OR EXISTS { (a)-[:RETWEETED]->(:Tweet)<-[:POSTED]-(:Target) }
       OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:REPLY_TO|QUOTES]->(:Tweet)<-[:POSTED]-(:Target) }
       OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:MENTIONS]->(:Target) })
CALL (a) {
  MATCH (a)-[:POSTED]->(t:Tweet)
  WHERE t.text IS NOT NULL AND NOT coalesce(t.stub, false)
  RETURN t
}
RETURN a.id AS account_id, t.id AS post_id, t.text AS text
