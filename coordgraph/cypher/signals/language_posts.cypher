// Texts of the posts (originals, replies, quotes) written by non-target accounts. With $engaging_only and at
// least one :Target in the graph, only accounts that engage a target (retweet, reply to or quote a target's
// post, or mention a target) are read: the benchmark is the other accounts engaging the same targets.
CALL () { RETURN EXISTS { MATCH (:Target) } AS has_targets }
MATCH (a:Account)
WHERE NOT a:Target
  AND (NOT ($engaging_only AND has_targets)
       OR EXISTS { (a)-[:RETWEETED]->(:Tweet)<-[:POSTED]-(:Target) }
       OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:REPLY_TO|QUOTES]->(:Tweet)<-[:POSTED]-(:Target) }
       OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:MENTIONS]->(:Target) })
MATCH (a)-[:POSTED]->(t:Tweet)
WHERE t.text IS NOT NULL AND NOT coalesce(t.stub, false)
RETURN a.id AS account_id, t.id AS post_id, t.text AS text
