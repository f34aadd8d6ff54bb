// The target's most retweeted post and its retweeters
MATCH (:Account {username: $target})-[:POSTED]->(p:Tweet)<-[:RETWEETED]-()
WITH p, count(*) AS n ORDER BY n DESC LIMIT 1
MATCH (p)<-[r:RETWEETED]-(a:Account)
RETURN p, r, a
