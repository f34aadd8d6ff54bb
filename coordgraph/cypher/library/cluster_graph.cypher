// A cluster's coordination graph for the Browser canvas: members, their MEMBER_OF links and the evidence
// (COORDINATED) edges between members, of one run only.
// Parameters:
//   run_id   run id; null = the latest run
//   cluster  cluster number within the run
//   signal   only evidence edges of this signal (e.g. "co_retweet"); null = every signal
// :param run_id => null
// :param cluster => 1
// :param signal => null
CALL () {
  MATCH (r:Run)
  RETURN r.id AS latest
  ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC
  LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (c:Cluster {run_id: run_id, number: $cluster})<-[m:MEMBER_OF {run_id: run_id}]-(a:Account)
OPTIONAL MATCH (a)-[e:COORDINATED {run_id: run_id}]->(b:Account)-[:MEMBER_OF {run_id: run_id}]->(c)
WHERE $signal IS NULL OR e.signal = $signal
RETURN c, m, a, e, b
