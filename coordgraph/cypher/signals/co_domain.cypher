// Co-action events for co-domain: one row per (post, linked domain) (object = the domain name).
MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:LINKS]->(:Url)-[:ON_DOMAIN]->(d:Domain)
WHERE p.created_ms IS NOT NULL
RETURN DISTINCT d.name AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, null AS anchor
