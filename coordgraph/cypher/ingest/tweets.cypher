// Posts present in the data (originals, replies, quotes); `posted` links them to their authors.
UNWIND $rows AS row
MERGE (t:Tweet {id: row.id})
SET t += row.props,
    t.stub = false,
    t.created_at = CASE WHEN row.created_ms IS NULL THEN t.created_at ELSE datetime({epochMillis: row.created_ms}) END
