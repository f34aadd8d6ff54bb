// Clusters of a run, flagged ones first, with size, score, p-value and false-discovery q-value.
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
MATCH (c:Cluster {run_id: run_id})
RETURN c.run_id AS run_id, c.number AS cluster, c.coordinated AS coordinated, c.size AS size, c.score AS score,
       c.p_value AS p_value, c.q_value AS q_value, c.signals AS signals
ORDER BY c.coordinated DESC, c.score DESC, c.number
