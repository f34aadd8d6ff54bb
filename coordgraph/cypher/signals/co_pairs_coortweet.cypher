// Peer-compatible co-action edges as CooRTweet (2.1.3) detect_groups + generate_coordinated_network compute them.
// Each action is one of the peer's input rows: obj = object_id, acc = account_id, eid = content_id, at = time.
// 1. Accounts with fewer than $min_participation rows are dropped.
// 2. Every unordered pair of rows on the same object with |t1 - t2| <= $window_s (whole seconds) is a share
//    pair; with $remove_loops, pairs of the same account or the same content id (or a content id equal to the
//    object) are dropped.
// 3. Per account, its rows whose content id is in any share pair are counted (a content id on two objects
//    counts as two rows, as in the peer); share pairs are kept when one side's content id belongs to an
//    account with at least $min_participation such rows.
// Edge (from < to): weight = share pairs, avg_time_delta = their mean |t1 - t2|, n_content_id and
// n_content_id_y = distinct content ids on the earlier and the later side (at equal seconds the smaller
// content id counts as earlier; the peer takes its input row order), first_s/last_s = the earliest and latest
// share time (earlier side). Self-loops appear when loops are kept. $since_ms/$until_ms (or null) bound the rows.
WITH obj, acc, at, eid
WHERE ($since_ms IS NULL OR at >= $since_ms) AND ($until_ms IS NULL OR at < $until_ms)
WITH acc, collect({obj: obj, s: at / 1000, eid: eid}) AS mine
WHERE size(mine) >= $min_participation
WITH collect({acc: acc, mine: mine}) AS input
CALL (input) {
  UNWIND input AS account
  UNWIND account.mine AS ev
  WITH account.acc AS acc, ev
  ORDER BY ev.s, ev.eid
  WITH ev.obj AS obj, collect({acc: acc, s: ev.s, eid: ev.eid}) AS evs
  WHERE size(evs) > 1
  UNWIND range(0, size(evs) - 2) AS i
  UNWIND range(i + 1, size(evs) - 1) AS j
  WITH obj, evs[i] AS x, evs[j] AS y
  WHERE y.s - x.s <= $window_s
    AND (NOT $remove_loops OR (x.acc <> y.acc AND x.eid <> y.eid AND x.eid <> obj AND y.eid <> obj))
  RETURN collect([x, y]) AS share_pairs
}
CALL (share_pairs) {
  UNWIND share_pairs AS sp
  UNWIND sp AS ev
  RETURN collect(DISTINCT ev.eid) AS paired
}
CALL (input, paired) {
  UNWIND input AS account
  WITH [ev IN account.mine WHERE ev.eid IN paired | ev.eid] AS rows
  WHERE size(rows) >= $min_participation
  UNWIND rows AS eid
  RETURN collect(DISTINCT eid) AS active
}
UNWIND share_pairs AS sp
WITH sp[0] AS x, sp[1] AS y, active
WHERE $min_participation < 1 OR x.eid IN active OR y.eid IN active
WITH CASE WHEN x.acc < y.acc THEN x.acc ELSE y.acc END AS from,
     CASE WHEN x.acc < y.acc THEN y.acc ELSE x.acc END AS to, x, y
WITH from, to, count(*) AS weight, avg(y.s - x.s) AS avg_time_delta, count(DISTINCT x.eid) AS n_content_id,
     count(DISTINCT y.eid) AS n_content_id_y, min(x.s) AS first_s, max(x.s) AS last_s
RETURN from, to, weight, avg_time_delta, n_content_id, n_content_id_y, first_s, last_s
