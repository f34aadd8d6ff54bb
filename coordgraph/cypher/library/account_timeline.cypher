// One account's activity in time order (posts, replies, quotes, retweets) with the days since its previous
// action, so dormancy and sudden activation stand out.
// Parameters:
//   account (required)  account id, handle or @handle
//   limit               at most this many rows
// :param account => "SomeHandle"
// :param limit => 500
WITH toLower(CASE WHEN $account STARTS WITH '@' THEN substring($account, 1) ELSE $account END) AS handle
MATCH (a:Account)
WHERE a.id = $account OR a.username_lc = handle
CALL (a) {
  MATCH (a)-[:POSTED]->(t:Tweet)
  RETURN t.created_ms AS at_ms, coalesce(t.kind, 'original') AS action, t.id AS post_id, t.text AS text,
         null AS of_author
  UNION ALL
  MATCH (a)-[r:RETWEETED]->(t:Tweet)
  OPTIONAL MATCH (author:Account)-[:POSTED]->(t)
  RETURN r.at_ms AS at_ms, 'retweet' AS action, t.id AS post_id, t.text AS text, author.username AS of_author
}
WITH a, at_ms, action, post_id, text, of_author
ORDER BY at_ms
WITH a, collect({at_ms: at_ms, action: action, post_id: post_id, text: text, of_author: of_author}) AS events
UNWIND range(0, size(events) - 1) AS i
WITH a, events[i] AS e, CASE WHEN i > 0 THEN (events[i].at_ms - events[i - 1].at_ms) / 86400000.0 END AS days_since_previous
RETURN a.username AS account, datetime({epochMillis: e.at_ms}) AS at, e.action AS action, e.post_id AS post_id,
       e.of_author AS of_author, e.text AS text, round(days_since_previous, 2) AS days_since_previous
LIMIT $limit
