// Pairs of distinct accounts acting on the same object within $window_ms of each other (inclusive).
// Input rows: obj, acc, at (epoch ms), eid. Each event is put in its time bucket ($bucket_ms = the window)
// and, as a guest, in the previous bucket; pairs within W then only occur inside one bucket or between a
// bucket and its guests, so the work grows with the number of co-actions, not with the square of a viral
// object's audience.
// Output: one row per unordered pair a < b; count = the number of distinct objects they co-acted on
// (at least $min_repeat); first/last co-action time; smallest and mean gap; up to $max_posts objects.
WITH obj, {acc: acc, at: at, eid: eid} AS ev, at / $bucket_ms AS bucket
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
WITH obj,
     CASE WHEN x.acc < y.acc THEN x.acc ELSE y.acc END AS a,
     CASE WHEN x.acc < y.acc THEN y.acc ELSE x.acc END AS b,
     abs(x.at - y.at) AS gap, CASE WHEN x.at < y.at THEN x.at ELSE y.at END AS at
WITH a, b, obj, min(gap) AS gap, min(at) AS at
WITH a, b, count(*) AS count, min(at) AS first_at, max(at) AS last_at, min(gap) AS min_gap_ms,
     avg(gap) AS mean_gap_ms, collect(obj) AS objs
WHERE count >= $min_repeat
RETURN a, b, count, first_at, last_at, min_gap_ms, mean_gap_ms, objs[..$max_posts] AS posts
