// Appended to a co-action events query (signals/co_<signal>.cypher wrapped in CALL () { ... }) for a network
// export: only the columns pairing reads, one row per object with its accounts and times as two parallel lists.
// Two flat lists stream and decode faster than a list of [acc, at, eid, anchor] lists per action.
WITH obj, collect(acc) AS accs, collect(at) AS ats
RETURN obj, accs, ats
