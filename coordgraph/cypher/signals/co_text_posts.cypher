// Replies and quotes with their text, for near-duplicate text detection (MinHash LSH in Python).
MATCH (a:Account)-[:POSTED]->(p:Tweet)
WHERE p.kind IN ['reply', 'quote'] AND p.text IS NOT NULL AND NOT coalesce(p.stub, false)
RETURN p.id AS eid, a.id AS acc, p.created_ms AS at, p.text AS text
