// Appended to a co-action events query (signals/co_<signal>.cypher wrapped in CALL () { ... }): the same
// actions, one row per account with its actions as [obj, at, eid, anchor] lists. Far fewer records cross
// Bolt than with one record per action, which is what makes exporting a million actions take seconds.
// Detection then reads these rows in parts (signals/in_parts.cypher).
WITH acc, collect([obj, at, eid, anchor]) AS events
RETURN acc AS key, events
