// Per non-target account that engages a :Target at least once: all its actions (posts + retweets) and those
// aimed at the targets: retweets, replies and quotes of a target's post, and posts mentioning a target.
// The aimed actions are found from the targets' side, so only the engaging accounts are visited, counted per
// account before anything else is looked up; their totals are relationship counts.
CALL () {
  MATCH (:Target)-[:POSTED]->(t:Tweet)
  WITH DISTINCT t
  MATCH (t)<-[:RETWEETED]-(a)
  WITH a, count(*) AS target_retweets
  WHERE a:Account AND NOT a:Target
  RETURN a, target_retweets, 0 AS target_replies, 0 AS target_quotes, 0 AS target_mentions, 0 AS target_posts
  UNION ALL
  CALL () {
    MATCH (:Target)-[:POSTED]->(:Tweet)<-[:REPLY_TO|QUOTES]-(p:Tweet)
    RETURN p
    UNION
    MATCH (:Target)<-[:MENTIONS]-(p:Tweet)
    RETURN p
  }
  MATCH (a:Account)-[:POSTED]->(p)
  WHERE NOT a:Target
  WITH a,
       EXISTS { (p)-[:REPLY_TO]->(:Tweet)<-[:POSTED]-(:Target) } AS to_reply,
       EXISTS { (p)-[:QUOTES]->(:Tweet)<-[:POSTED]-(:Target) } AS to_quote,
       EXISTS { (p)-[:MENTIONS]->(:Target) } AS to_mention
  RETURN a, 0 AS target_retweets,
         count(CASE WHEN to_reply THEN 1 END) AS target_replies,
         count(CASE WHEN to_quote THEN 1 END) AS target_quotes,
         count(CASE WHEN to_mention AND NOT to_reply AND NOT to_quote THEN 1 END) AS target_mentions,
         count(CASE WHEN to_reply OR to_quote OR to_mention THEN 1 END) AS target_posts
}
WITH a,
     sum(target_retweets) AS target_retweets,
     sum(target_replies) AS target_replies,
     sum(target_quotes) AS target_quotes,
     sum(target_mentions) AS target_mentions,
     sum(target_posts) AS target_posts
RETURN a.id AS account_id,
       COUNT { (a)-[:RETWEETED]->(:Tweet) } + COUNT { (a)-[:POSTED]->(:Tweet) } AS total,
       target_retweets + target_posts AS aimed,
       target_retweets, target_replies, target_quotes, target_mentions
ORDER BY account_id
