// Accounts seen again with the values this load last wrote for them, in a newer snapshot: only the snapshot
// time moves on (so an older snapshot arriving later cannot replace the values).
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
WITH a, row
WHERE a.profile_ms IS NULL OR a.profile_ms < row.profile_ms
SET a.profile_ms = row.profile_ms
