// Every analysis run with its parameters (JSON text), clusters, flagged clusters and flagged accounts (members
// of its coordinated clusters), in the order `latest~N` counts them (finished runs first, then newest first).
MATCH (r:Run)
OPTIONAL MATCH (r)-[:FOUND]->(c:Cluster)
WITH r, count(c) AS clusters, count(CASE WHEN c.coordinated THEN 1 END) AS flagged_clusters
RETURN r.id AS run_id, r.started_at AS started_at, r.finished_at AS finished_at, r.status AS status,
       r.version AS version, r.params AS params, r.summary AS summary, clusters, flagged_clusters,
       COUNT { MATCH (r)-[:FOUND]->(k:Cluster {coordinated: true})<-[:MEMBER_OF {run_id: r.id}]-(:Account) } AS flagged_accounts
ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC, r.id DESC
