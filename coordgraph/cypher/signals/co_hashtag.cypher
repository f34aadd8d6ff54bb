// Co-action events for co-hashtag: one row per (post, hashtag) (object = the lower-case tag).
MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:TAGS]->(h:Hashtag)
WHERE p.created_ms IS NOT NULL
RETURN h.tag AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, null AS anchor
