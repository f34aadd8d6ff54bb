// Co-action events for co-reply: one row per reply (object = the post replied to).
MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:REPLY_TO]->(t:Tweet)
WHERE p.created_ms IS NOT NULL
RETURN t.id AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, t.created_ms AS anchor
