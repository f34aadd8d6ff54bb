// Peer-compatible co-action edges as CooRTweet (2.1.3) detect_groups + generate_coordinated_network compute them:
// accounts with fewer than $min_participation events are dropped first; every unordered pair of distinct
// events on the same object with |t1 - t2| <= window (whole seconds) is a coordinated share pair; with
// $remove_loops pairs of the same account are dropped; then only share pairs touching an event of an account
// with at least $min_participation events among the pairs are kept. Edge weight = the number of share pairs
// (undirected, from < to); self-loops appear when loops are kept.
WITH acc, collect({obj: obj, s: at / 1000, eid: eid}) AS mine
WHERE size(mine) >= $min_participation
UNWIND mine AS ev
WITH ev.obj AS obj, collect({acc: acc, s: ev.s, eid: ev.eid}) AS evs
WHERE size(evs) > 1
UNWIND range(0, size(evs) - 2) AS i
UNWIND range(i + 1, size(evs) - 1) AS j
WITH evs[i] AS x, evs[j] AS y
WHERE abs(x.s - y.s) <= $window_s AND x.eid <> y.eid AND (NOT $remove_loops OR x.acc <> y.acc)
WITH collect([x, y]) AS share_pairs
CALL (share_pairs) {
  UNWIND share_pairs AS sp
  UNWIND sp AS ev
  WITH ev.acc AS acc, count(DISTINCT ev.eid) AS n
  WHERE n >= $min_participation
  RETURN collect(acc) AS active
}
UNWIND share_pairs AS sp
WITH sp[0] AS x, sp[1] AS y, active
WHERE x.acc IN active OR y.acc IN active
WITH CASE WHEN x.acc < y.acc THEN x.acc ELSE y.acc END AS from,
     CASE WHEN x.acc < y.acc THEN y.acc ELSE x.acc END AS to
RETURN from, to, count(*) AS weight
