// The benchmark pool of the membership test: every non-target account that engaged a :Target's post
// (retweet, reply or quote), with how many such actions and how many distinct target posts.
MATCH (:Target)-[:POSTED]->(t:Tweet)
CALL (t) {
  MATCH (a:Account)-[:RETWEETED]->(t)
  RETURN a
  UNION ALL
  MATCH (a:Account)-[:POSTED]->(:Tweet)-[:REPLY_TO|QUOTES]->(t)
  RETURN a
}
WITH a, t
WHERE NOT a:Target
RETURN a.id AS account_id, count(*) AS target_actions, count(DISTINCT t) AS target_posts
