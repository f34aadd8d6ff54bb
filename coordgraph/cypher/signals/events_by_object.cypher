// Appended to a co-action events query (signals/co_<signal>.cypher wrapped in CALL () { ... }): the same
// actions, one row per object with its actions as [acc, at, eid, anchor] lists. For posts that gather many
// actions (retweets, target posts) this streams fewer and cheaper rows than grouping per account.
// Detection then reads these rows in parts (signals/in_parts.cypher).
WITH obj, collect([acc, at, eid, anchor]) AS events
RETURN obj AS key, events
