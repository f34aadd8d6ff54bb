// The target's most retweeted post and its retweeters (cluster members show their cluster)
MATCH (:Account {username: $target})-[:POSTED]->(p:Tweet)<-[:RETWEETED]-()
WITH p, count(*) AS n ORDER BY n DESC LIMIT 1
MATCH (p)<-[r:RETWEETED]-(a:Account)
OPTIONAL MATCH (a)-[m:MEMBER_OF {run_id: $run}]->(c:Cluster)
RETURN p, r, a, m, c
