// Posts not in the graph yet: full posts (stub false) and referenced posts absent from the data (stub true).
// `posted_by` (not stored) is the author whose POSTED the batch holds: created here, with the post in hand, as a
// new post has no relationships yet.
UNWIND $rows AS row
CREATE (t:Tweet {
  id: row.id, stub: row.stub, created_ms: row.created_ms,
  created_at: CASE WHEN row.created_ms IS NULL THEN null ELSE datetime({epochMillis: row.created_ms}) END,
  text: row.text, text_hash: row.text_hash, lang: row.lang, source: row.source, kind: row.kind,
  author_id: row.author_id, conversation_id: row.conversation_id
})
WITH t, row
WHERE row.posted_by IS NOT NULL
MATCH (a:Account {id: row.posted_by})
CREATE (a)-[:POSTED]->(t)
