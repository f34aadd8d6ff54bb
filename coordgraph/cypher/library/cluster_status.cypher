// Members of each cluster of a run by latest known status (active / suspended / deleted / unknown) and
// when that was checked.
// Parameters:
//   run_id  run id; null = the latest run
// :param run_id => null
CALL () {
  MATCH (r:Run)
  RETURN r.id AS latest
  ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC
  LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (a:Account)-[:MEMBER_OF {run_id: run_id}]->(c:Cluster {run_id: run_id})
RETURN c.number AS cluster, c.coordinated AS flagged, coalesce(a.status, 'unknown') AS status,
       count(a) AS accounts, min(a.status_checked_at) AS first_checked, max(a.status_checked_at) AS last_checked
ORDER BY cluster, status
