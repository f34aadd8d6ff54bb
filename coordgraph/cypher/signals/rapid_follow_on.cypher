// Target-anchored rapid follow-on: B engages (retweet, reply or quote) a :Target account's post within
// $window_ms after A engaged the same post (0 <= t_B - t_A <= window). Directed A -> B; count = the number
// of target posts on which B followed A, at least $min_repeat.
MATCH (:Target)-[:POSTED]->(t:Tweet)
CALL (t) {
  MATCH (a:Account)-[r:RETWEETED]->(t)
  WHERE r.at_ms IS NOT NULL
  RETURN a.id AS acc, r.at_ms AS at
  UNION ALL
  MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:REPLY_TO|QUOTES]->(t)
  WHERE p.created_ms IS NOT NULL
  RETURN a.id AS acc, p.created_ms AS at
}
WITH t.id AS obj, {acc: acc, at: at} AS ev, at / $bucket_ms AS bucket
UNWIND [[bucket, true], [bucket - 1, false]] AS slot
WITH obj, slot[0] AS bucket, collect(CASE WHEN slot[1] THEN ev END) AS here,
     collect(CASE WHEN NOT slot[1] THEN ev END) AS guests
WHERE size(here) > 1 OR (size(here) > 0 AND size(guests) > 0)
WITH obj,
     [p IN range(0, size(here) - 2) | [q IN range(p + 1, size(here) - 1) | [here[p], here[q]]]] +
     [x IN here | [y IN guests | [x, y]]] AS candidates
UNWIND candidates AS row
UNWIND row AS pair
WITH obj, pair[0] AS x, pair[1] AS y
WHERE x.acc <> y.acc AND abs(x.at - y.at) <= $window_ms
UNWIND CASE WHEN x.at < y.at THEN [[x, y]] WHEN y.at < x.at THEN [[y, x]] ELSE [[x, y], [y, x]] END AS led
WITH obj, led[0].acc AS a, led[1].acc AS b, led[1].at - led[0].at AS gap, led[0].at AS at
WITH a, b, obj, min(gap) AS gap, min(at) AS at
WITH a, b, count(*) AS count, min(at) AS first_at, max(at) AS last_at, min(gap) AS min_gap_ms,
     avg(gap) AS mean_gap_ms, collect(obj) AS objs
WHERE count >= $min_repeat
RETURN a, b, count, first_at, last_at, min_gap_ms, mean_gap_ms, objs[..$max_posts] AS posts
