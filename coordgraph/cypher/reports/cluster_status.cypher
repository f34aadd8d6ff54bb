// Status of each cluster member: the latest status (Account.status) or, with $as_of, the latest
// StatusCheck on or before that instant; 'unknown' when no snapshot covers the account.
MATCH (a:Account)-[:MEMBER_OF {run_id: $run_id}]->(c:Cluster {run_id: $run_id})
CALL (a) {
  OPTIONAL MATCH (a)-[:HAD_STATUS]->(s:StatusCheck)
  WHERE $as_of IS NULL OR s.checked_at <= datetime($as_of)
  RETURN s ORDER BY s.checked_at DESC LIMIT 1
}
WITH c, a, s,
     CASE WHEN $as_of IS NULL AND a.status IS NOT NULL THEN a.status ELSE s.status END AS status,
     CASE WHEN $as_of IS NULL AND a.status IS NOT NULL THEN coalesce(a.status_checked_at, s.checked_at)
          ELSE s.checked_at END AS checked_at
RETURN c.number AS cluster, coalesce(c.coordinated, false) AS coordinated, a.id AS account_id,
       a.username AS username, coalesce(status, 'unknown') AS status, checked_at
ORDER BY cluster, account_id
