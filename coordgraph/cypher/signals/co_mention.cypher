// Co-action events for co-mention: one row per (post, mentioned account) (object = the mentioned account id).
MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:MENTIONS]->(m:Account)
WHERE p.created_ms IS NOT NULL AND m <> a
RETURN m.id AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, null AS anchor
