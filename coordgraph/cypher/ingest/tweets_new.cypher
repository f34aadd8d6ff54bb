// Posts not in the graph yet: full posts (stub false) and referenced posts absent from the data (stub true).
UNWIND $rows AS row
CREATE (:Tweet {
  id: row.id, stub: row.stub, created_ms: row.created_ms,
  created_at: CASE WHEN row.created_ms IS NULL THEN null ELSE datetime({epochMillis: row.created_ms}) END,
  text: row.text, text_hash: row.text_hash, lang: row.lang, source: row.source, kind: row.kind,
  author_id: row.author_id, conversation_id: row.conversation_id
})
