// Accounts only named (authors of referenced posts, mentioned or engaging accounts): create, never overwrite.
UNWIND $rows AS row
MERGE (a:Account {id: row.id})
ON CREATE SET a.platform = row.platform
WITH a, row
WHERE a.username IS NULL AND row.username IS NOT NULL
SET a.username = row.username, a.username_lc = toLower(row.username)
