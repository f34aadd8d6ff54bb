// Status history: one StatusCheck per account and time; the latest observation is copied onto the Account.
UNWIND $rows AS row
MATCH (a:Account {id: row.account_id})
MERGE (c:StatusCheck {key: row.key})
ON CREATE SET c.status = row.status, c.checked_ms = row.checked_ms, c.checked_at = datetime({epochMillis: row.checked_ms})
MERGE (a)-[:HAD_STATUS]->(c)
WITH a, row
WHERE a.status_checked_ms IS NULL OR row.checked_ms >= a.status_checked_ms
SET a.status = row.status, a.status_checked_ms = row.checked_ms, a.status_checked_at = datetime({epochMillis: row.checked_ms})
