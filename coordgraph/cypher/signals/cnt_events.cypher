// Appended to a co-action events query (signals/co_<signal>.cypher wrapped in CALL () { ... }) for the
// coordination-network-toolkit mode paired in numpy (coordgraph.analytics.signals.cnt_pairs): one row per object
// with two or more actions, its accounts, toolkit times and event ids as parallel lists. The times are those of
// signals/co_pairs_cnt.cypher (the reference definition in Cypher): an event whose id is a Twitter snowflake of
// the same second as its stored time is placed at the snowflake's millisecond, any other at its stored time.
// $since_ms/$until_ms (or null) bound the events. An event without an id or a time never pairs there (its
// comparisons are null), so it is left out here; collect() would drop a null from one list and not the others.
WITH obj, acc, at, eid
WHERE ($since_ms IS NULL OR at >= $since_ms) AND ($until_ms IS NULL OR at < $until_ms)
  AND acc IS NOT NULL AND at IS NOT NULL AND eid IS NOT NULL
WITH obj, acc, at, eid,
     CASE WHEN eid =~ '[1-9][0-9]{14,18}' THEN toInteger(eid) / 4194304 + 1288834974657 END AS flake
WITH obj, acc, eid, CASE WHEN flake / 1000 = at / 1000 THEN flake ELSE at END AS t
WITH obj, collect(acc) AS accs, collect(t) AS ts, collect(eid) AS eids
WHERE size(accs) > 1
RETURN accs, ts, eids
