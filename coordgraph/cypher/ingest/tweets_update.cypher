// A full post whose node exists (a stub, or the same post loaded before): given values replace the old ones.
UNWIND $rows AS row
MATCH (t:Tweet {id: row.id})
SET t.stub = false,
    t.created_ms = coalesce(row.created_ms, t.created_ms),
    t.created_at = CASE WHEN row.created_ms IS NULL THEN t.created_at ELSE datetime({epochMillis: row.created_ms}) END,
    t.text = coalesce(row.text, t.text),
    t.text_hash = coalesce(row.text_hash, t.text_hash),
    t.lang = coalesce(row.lang, t.lang),
    t.source = coalesce(row.source, t.source),
    t.kind = coalesce(row.kind, t.kind),
    t.author_id = coalesce(row.author_id, t.author_id),
    t.conversation_id = coalesce(row.conversation_id, t.conversation_id)
