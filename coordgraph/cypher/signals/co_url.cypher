// Co-action events for co-URL: one row per (post, link) (object = the URL).
MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:LINKS]->(u:Url)
WHERE p.created_ms IS NOT NULL
RETURN u.url AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, null AS anchor
