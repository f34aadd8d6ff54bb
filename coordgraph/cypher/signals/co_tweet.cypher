// Co-action events for co-tweet: one row per post with text (object = the hash of its normalised text).
MATCH (a:Account)-[:POSTED]->(p:Tweet)
WHERE p.text_hash IS NOT NULL AND p.created_ms IS NOT NULL AND NOT coalesce(p.stub, false)
RETURN p.text_hash AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, null AS anchor
