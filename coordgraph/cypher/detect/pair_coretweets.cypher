// Reproduce a co-retweet count: the posts two accounts retweeted within $window_ms of each other, with both
// times. Parameters: $a, $b (account ids), $window_ms.
MATCH (a:Account {id: $a})-[r1:RETWEETED]->(t:Tweet)<-[r2:RETWEETED]-(b:Account {id: $b})
WHERE abs(r1.at_ms - r2.at_ms) <= $window_ms
WITH t, min(abs(r1.at_ms - r2.at_ms)) AS gap_ms, min(r1.at) AS a_at, min(r2.at) AS b_at
RETURN t.id AS post, a_at, b_at, gap_ms
ORDER BY a_at
