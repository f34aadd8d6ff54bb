// Delete one run: its evidence edges, memberships, clusters and the Run node; nothing of any other run.
// Returns how many of each were removed.
MATCH (r:Run {id: $run_id})
CALL (r) {
  MATCH ()-[e:COORDINATED {run_id: r.id}]->()
  DELETE e
  RETURN count(e) AS edges
}
CALL (r) {
  MATCH (:Account)-[m:MEMBER_OF {run_id: r.id}]->(:Cluster)
  DELETE m
  RETURN count(m) AS memberships
}
CALL (r) {
  MATCH (c:Cluster {run_id: r.id})
  DETACH DELETE c
  RETURN count(c) AS clusters
}
DETACH DELETE r
RETURN 1 AS runs, clusters, memberships, edges
