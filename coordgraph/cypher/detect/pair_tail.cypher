// Appended to a co-action events query (signals/co_<signal>.cypher wrapped in CALL () { ... }): the objects on
// which accounts $a and $b acted within $window_ms of each other, with both times. Reproduces the count of a
// COORDINATED edge. Parameters: $a, $b, $window_ms.
WITH obj, acc, at WHERE acc IN [$a, $b]
WITH obj, collect(CASE WHEN acc = $a THEN at END) AS a_times, collect(CASE WHEN acc = $b THEN at END) AS b_times
UNWIND a_times AS ta
UNWIND b_times AS tb
WITH obj, ta, tb WHERE abs(ta - tb) <= $window_ms
WITH obj, min(abs(ta - tb)) AS gap_ms, min(ta) AS a_at_ms, min(tb) AS b_at_ms
RETURN obj, a_at_ms, b_at_ms, gap_ms
ORDER BY a_at_ms
