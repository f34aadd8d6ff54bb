// The focal (target) accounts with how many posts they have and how often those were retweeted, replied
// to and quoted by other accounts.
// Parameters: none
MATCH (t:Target)
CALL (t) {
  OPTIONAL MATCH (t)-[:POSTED]->(p:Tweet)
  RETURN count(p) AS posts,
         sum(COUNT { (p)<-[:RETWEETED]-(a:Account) WHERE a <> t }) AS retweets,
         sum(COUNT { (p)<-[:REPLY_TO]-(:Tweet)<-[:POSTED]-(a:Account) WHERE a <> t }) AS replies,
         sum(COUNT { (p)<-[:QUOTES]-(:Tweet)<-[:POSTED]-(a:Account) WHERE a <> t }) AS quotes
}
RETURN t.id AS target_id, t.username AS username, t.name AS name, posts, retweets, replies, quotes
ORDER BY retweets + replies + quotes DESC
