// Appended to a co-action events query (signals/co_<signal>.cypher wrapped in CALL () { ... }) for a network
// export: only the columns pairing reads, one row per account with its objects and times as two parallel lists.
WITH acc, collect(obj) AS objs, collect(at) AS ats
RETURN acc, objs, ats
