// Peer-compatible co-action edges as coordination-network-toolkit (git daa0e11) computes them:
// directed rows (user_1, user_2); weight = the number of distinct events of user_1 that have another event
// (different id) of user_2 on the same object with |t1 - t2| <= window; self-loops (an account repeating its own
// action) included; rows with weight < $min_weight dropped. first_s/last_s: the earliest and latest of those
// user_1 events (epoch seconds, whole). $since_ms/$until_ms (or null) bound the events.
// The time is the toolkit's: it compares its timestamps as given, to the millisecond, and for Twitter JSON takes
// them from the post id (snowflake), not from created_at (whole seconds). So an event whose id is a Twitter
// snowflake of the same second as its stored time is placed at the snowflake's millisecond; any other at its
// stored time.
WITH obj, acc, at, eid
WHERE ($since_ms IS NULL OR at >= $since_ms) AND ($until_ms IS NULL OR at < $until_ms)
WITH obj, acc, at, eid,
     CASE WHEN eid =~ '[1-9][0-9]{14,18}' THEN toInteger(eid) / 4194304 + 1288834974657 END AS flake
WITH obj, acc, eid, CASE WHEN flake / 1000 = at / 1000 THEN flake ELSE at END AS t
WITH obj, collect({acc: acc, t: t, eid: eid}) AS evs
WHERE size(evs) > 1
UNWIND evs AS x
UNWIND evs AS y
WITH x, y
WHERE x.eid <> y.eid AND abs(x.t - y.t) <= $window_s * 1000
WITH x.acc AS user_1, y.acc AS user_2, count(DISTINCT x.eid) AS weight, min(x.t) / 1000 AS first_s, max(x.t) / 1000 AS last_s
WHERE weight >= $min_weight
RETURN user_1, user_2, weight, first_s, last_s
