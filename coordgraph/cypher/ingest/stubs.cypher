// Referenced posts absent from the data: a node with what is known (id, author, time from a snowflake id).
// A stub never overwrites a full post.
UNWIND $rows AS row
MERGE (t:Tweet {id: row.id})
ON CREATE SET t.stub = true
WITH t, row
WHERE t.stub
SET t.author_id = coalesce(t.author_id, row.author_id),
    t.created_ms = coalesce(t.created_ms, row.created_ms),
    t.created_at = coalesce(t.created_at, CASE WHEN row.created_ms IS NULL THEN null ELSE datetime({epochMillis: row.created_ms}) END)
WITH t, row
WHERE row.author_id IS NOT NULL
MATCH (a:Account {id: row.author_id})
MERGE (a)-[:POSTED]->(t)
