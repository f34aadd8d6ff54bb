// Co-action events for co-quote: one row per quote (object = the quoted post).
MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:QUOTES]->(t:Tweet)
WHERE p.created_ms IS NOT NULL
RETURN t.id AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, t.created_ms AS anchor
