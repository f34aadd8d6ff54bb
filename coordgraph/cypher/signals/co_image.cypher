// Co-action events for co-image: one row per (post, image) (object = the image: a media key, or a perceptual
// hash id when the source gives one, as CooRTweet's phash_id rows do).
MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:SHOWS]->(m:Media)
WHERE p.created_ms IS NOT NULL
RETURN m.key AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, null AS anchor
