// The co-retweet actions of the coordination-network-toolkit mode paired in numpy
// (coordgraph.analytics.signals.cnt_pairs): the actions, times and event ids signals/co_retweet.cypher followed
// by signals/cnt_events.cypher give (the generic route, still used by the other signals), read post by post and
// sent $batch posts to a row: objs (the post's number), accs, ts (toolkit times) and eids as parallel flat lists.
// Grouping every retweet in one aggregation cost the server about three times as much as a subquery per post,
// entered only for posts retweeted at least twice (a degree count, not a read of the retweets); a row per post
// cost the driver more than the pairing (a socket read per record). A post left with one action here (after the
// time bounds) pairs with nothing.
// An event id that is a Twitter snowflake ('[1-9][0-9]{14,18}', tested without a regex: text that reads back as
// the same integer of at least 15 digits) is sent as that integer, with its millisecond as the time when it is of
// the same second as the stored time; any other id is sent as it is stored (text: ingest stores every id as text),
// at its stored time. (A 19-digit id beyond 2^63 - 1 is no integer here: it keeps its stored time, where
// signals/co_pairs_cnt.cypher fails on it.)
// $since_ms/$until_ms (or null) bound the events.
MATCH (t:Tweet)
WHERE COUNT { (t)<-[:RETWEETED]-() } > 1
WITH collect(t) AS posts
UNWIND range(0, size(posts) - 1, $batch) AS lo
CALL (posts, lo) {
  UNWIND range(lo, lo + $batch - 1) AS k
  WITH k, posts[k] AS t
  WHERE t IS NOT NULL
  MATCH (a:Account)-[r:RETWEETED]->(t)
  WHERE r.at_ms IS NOT NULL
    AND ($since_ms IS NULL OR r.at_ms >= $since_ms) AND ($until_ms IS NULL OR r.at_ms < $until_ms)
  WITH k, a.id AS acc, r.at_ms AS at,
       CASE WHEN r.id ENDS WITH '#' + t.id THEN left(r.id, size(r.id) - size(t.id) - 1) ELSE r.id END AS eid
  WHERE acc IS NOT NULL AND eid IS NOT NULL
  WITH k, acc, at, eid, toIntegerOrNull(eid) AS n
  WITH k, acc, at, eid, CASE WHEN n >= 100000000000000 AND toString(n) = eid THEN n END AS n
  WITH k, acc, at, coalesce(n, eid) AS eid, n / 4194304 + 1288834974657 AS flake
  RETURN collect(k) AS objs, collect(acc) AS accs,
         collect(CASE WHEN flake / 1000 = at / 1000 THEN flake ELSE at END) AS ts, collect(eid) AS eids
}
RETURN objs, accs, ts, eids
