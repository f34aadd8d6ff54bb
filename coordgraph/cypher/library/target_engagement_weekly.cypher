// Engagement with each target's posts per Monday-based UTC week: retweets, replies and quotes by other
// accounts, and how much of it came from accounts in flagged clusters of the run.
// Parameters:
//   target  target handle or id; null = every target
//   run_id  run id; null = the latest run
// :param target => null
// :param run_id => null
OPTIONAL CALL () {
  MATCH (r:Run)
  RETURN r.id AS latest
  ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC
  LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (t:Target)
WHERE $target IS NULL OR t.id = $target OR t.username_lc = toLower($target)
CALL (t) {
  MATCH (t)-[:POSTED]->(:Tweet)<-[r:RETWEETED]-(a:Account)
  WHERE a <> t
  RETURN a, 'retweet' AS kind, r.at_ms AS at_ms
  UNION ALL
  MATCH (t)-[:POSTED]->(:Tweet)<-[:REPLY_TO]-(e:Tweet)<-[:POSTED]-(a:Account)
  WHERE a <> t
  RETURN a, 'reply' AS kind, e.created_ms AS at_ms
  UNION ALL
  MATCH (t)-[:POSTED]->(:Tweet)<-[:QUOTES]-(e:Tweet)<-[:POSTED]-(a:Account)
  WHERE a <> t
  RETURN a, 'quote' AS kind, e.created_ms AS at_ms
}
WITH run_id, t, a, kind, date.truncate('week', datetime({epochMillis: at_ms})) AS week
WHERE week IS NOT NULL
WITH t, week, kind, EXISTS { (a)-[:MEMBER_OF {run_id: run_id}]->(:Cluster {coordinated: true}) } AS flagged
WITH t, week, count(*) AS engagements, count(CASE WHEN flagged THEN 1 END) AS by_flagged,
     count(CASE WHEN kind = 'retweet' THEN 1 END) AS retweets,
     count(CASE WHEN kind = 'retweet' AND flagged THEN 1 END) AS retweets_by_flagged,
     count(CASE WHEN kind = 'reply' THEN 1 END) AS replies,
     count(CASE WHEN kind = 'reply' AND flagged THEN 1 END) AS replies_by_flagged,
     count(CASE WHEN kind = 'quote' THEN 1 END) AS quotes,
     count(CASE WHEN kind = 'quote' AND flagged THEN 1 END) AS quotes_by_flagged
RETURN t.username AS target, week, engagements, by_flagged,
       round(100.0 * by_flagged / engagements, 1) AS flagged_pct,
       retweets, retweets_by_flagged, replies, replies_by_flagged, quotes, quotes_by_flagged
ORDER BY target, week
