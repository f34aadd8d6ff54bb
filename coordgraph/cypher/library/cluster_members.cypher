// Members of one cluster of a run, highest membership score first, with profile, status and evidence.
// Parameters:
//   run_id   run id; null = the latest run
//   cluster  cluster number within the run
// :param run_id => null
// :param cluster => 1
CALL () {
  MATCH (r:Run)
  RETURN r.id AS latest
  ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC
  LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (a:Account)-[m:MEMBER_OF {run_id: run_id}]->(c:Cluster {run_id: run_id, number: $cluster})
RETURN a.id AS account_id, a.username AS username, a.name AS name, a.created_at AS created_at,
       a.followers AS followers, a.status AS status, a.status_checked_at AS status_checked_at,
       m.score AS score, m.evidence AS evidence
ORDER BY m.score DESC, a.id
