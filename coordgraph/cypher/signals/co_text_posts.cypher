// Replies and quotes with their text, for near-duplicate text detection. With $engaging_only, only those of
// accounts that engage a target (retweet, reply to or quote a target's post, or mention a target), read per
// account in a subquery so the planner filters accounts first (as language_posts.cypher).
MATCH (a:Account)
WHERE NOT $engaging_only
   OR EXISTS { (a)-[:RETWEETED]->(:Tweet)<-[:POSTED]-(:Target) }
   OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:REPLY_TO|QUOTES]->(:Tweet)<-[:POSTED]-(:Target) }
   OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:MENTIONS]->(:Target) }
CALL (a) {
  MATCH (a)-[:POSTED]->(p:Tweet)
  WHERE p.kind IN ['reply', 'quote'] AND p.text IS NOT NULL AND NOT coalesce(p.stub, false)
  RETURN p
}
RETURN p.id AS eid, a.id AS acc, p.created_ms AS at, p.text AS text
