// Peer-compatible co-action edges as coordination-network-toolkit (git daa0e11) computes them:
// directed rows (user_1, user_2); weight = the number of distinct events of user_1 that have another event
// (different id) of user_2 on the same object with |t1 - t2| <= window, times in whole seconds; self-loops
// (an account repeating its own action) included; rows with weight < $min_weight dropped. first_s/last_s: the
// earliest and latest of those user_1 events. $since_ms/$until_ms (or null) bound the events.
WITH obj, acc, at, eid
WHERE ($since_ms IS NULL OR at >= $since_ms) AND ($until_ms IS NULL OR at < $until_ms)
WITH obj, collect({acc: acc, s: at / 1000, eid: eid}) AS evs
WHERE size(evs) > 1
UNWIND evs AS x
UNWIND evs AS y
WITH x, y
WHERE x.eid <> y.eid AND abs(x.s - y.s) <= $window_s
WITH x.acc AS user_1, y.acc AS user_2, count(DISTINCT x.eid) AS weight, min(x.s) AS first_s, max(x.s) AS last_s
WHERE weight >= $min_weight
RETURN user_1, user_2, weight, first_s, last_s
