// Co-action events for co-tweet: one row per post with text (object = the hash of its normalised text).
// A text that normalises to nothing (empty, or only a URL) is no shared content: 'e4a6a0577479b2b4' is the hash
// of the empty normalised text (ingest.values.text_hash(''); tests/test_missing_values.py checks it).
MATCH (a:Account)-[:POSTED]->(p:Tweet)
WHERE p.text_hash IS NOT NULL AND p.text_hash <> 'e4a6a0577479b2b4' AND p.created_ms IS NOT NULL
  AND NOT coalesce(p.stub, false)
RETURN p.text_hash AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, null AS anchor
