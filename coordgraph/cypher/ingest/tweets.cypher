// Posts present in the data (originals, replies, quotes), with their author.
UNWIND $rows AS row
MERGE (t:Tweet {id: row.id})
SET t += row.props,
    t.stub = false,
    t.created_at = CASE WHEN row.created_ms IS NULL THEN t.created_at ELSE datetime({epochMillis: row.created_ms}) END
WITH t, row
MATCH (a:Account {id: row.author_id})
MERGE (a)-[:POSTED]->(t)
