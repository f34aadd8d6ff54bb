// Full account profiles. The profile with the latest snapshot time (profile_ms) wins, whatever the load order.
UNWIND $rows AS row
MERGE (a:Account {id: row.id})
WITH a, row
WHERE a.profile_ms IS NULL OR row.profile_ms >= a.profile_ms
SET a += row.props,
    a.profile_ms = row.profile_ms,
    a.created_at = CASE WHEN row.created_ms IS NULL THEN a.created_at ELSE datetime({epochMillis: row.created_ms}) END
