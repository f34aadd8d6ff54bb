// Who retweets the target within a minute of someone else
MATCH (:Account {username: $target})-[:POSTED]->(p:Tweet)<-[r1:RETWEETED]-(a:Account),
      (p)<-[r2:RETWEETED]-(b:Account)
WHERE a.id < b.id AND abs(r1.at_ms - r2.at_ms) <= 60000
RETURN a.username, b.username, count(p) AS together ORDER BY together DESC LIMIT 25
