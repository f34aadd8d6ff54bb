// Resolve each value to one account: an exact id first, else a handle (case-insensitive, @ optional);
// rows come back in the order of $values.
UNWIND range(0, size($values) - 1) AS i
WITH i, $values[i] AS value
OPTIONAL MATCH (byId:Account {id: value})
OPTIONAL MATCH (byName:Account {username_lc: toLower(CASE WHEN value STARTS WITH '@' THEN substring(value, 1) ELSE value END)})
WITH i, value, coalesce(byId, byName) AS a
ORDER BY i, a.profile_ms DESC
WITH i, value, collect(a)[0] AS a
RETURN value, a.id AS id, a.username AS username, a IS NOT NULL AS found
ORDER BY i
