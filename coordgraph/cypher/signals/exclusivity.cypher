// Per non-target account that engages a :Target at least once: all its actions (posts + retweets) and those
// aimed at the targets: retweets, replies and quotes of a target's post, and posts mentioning a target.
MATCH (a:Account)
WHERE NOT a:Target
CALL (a) {
  OPTIONAL MATCH (a)-[r:RETWEETED]->(t:Tweet)
  RETURN count(r) AS retweets,
         count(CASE WHEN EXISTS { (:Target)-[:POSTED]->(t) } THEN 1 END) AS target_retweets
}
CALL (a) {
  OPTIONAL MATCH (a)-[:POSTED]->(p:Tweet)
  WITH p,
       EXISTS { (p)-[:REPLY_TO]->(:Tweet)<-[:POSTED]-(:Target) } AS to_reply,
       EXISTS { (p)-[:QUOTES]->(:Tweet)<-[:POSTED]-(:Target) } AS to_quote,
       EXISTS { (p)-[:MENTIONS]->(:Target) } AS to_mention
  RETURN count(p) AS posts,
         count(CASE WHEN to_reply THEN 1 END) AS target_replies,
         count(CASE WHEN to_quote THEN 1 END) AS target_quotes,
         count(CASE WHEN to_mention AND NOT to_reply AND NOT to_quote THEN 1 END) AS target_mentions,
         count(CASE WHEN to_reply OR to_quote OR to_mention THEN 1 END) AS target_posts
}
WITH a, retweets, target_retweets, posts, target_replies, target_quotes, target_mentions, target_posts
WHERE target_retweets + target_posts > 0
RETURN a.id AS account_id,
       retweets + posts AS total,
       target_retweets + target_posts AS aimed,
       target_retweets, target_replies, target_quotes, target_mentions
