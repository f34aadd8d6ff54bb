// Referenced posts absent from the data: a node with what is known (id, author, time from a snowflake id).
// A stub never overwrites a full post.
UNWIND $rows AS row
MERGE (t:Tweet {id: row.id})
ON CREATE SET t.stub = true, t.author_id = row.author_id, t.created_ms = row.created_ms,
              t.created_at = CASE WHEN row.created_ms IS NULL THEN null ELSE datetime({epochMillis: row.created_ms}) END
ON MATCH SET t.author_id = CASE WHEN t.stub AND t.author_id IS NULL THEN row.author_id ELSE t.author_id END
