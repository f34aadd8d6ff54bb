// Analysis runs, newest first, with how many clusters each found and how many were flagged as coordinated.
// Parameters:
//   limit  how many runs to list
// :param limit => 20
MATCH (r:Run)
OPTIONAL MATCH (r)-[:FOUND]->(c:Cluster)
WITH r, count(c) AS clusters, count(CASE WHEN c.coordinated THEN 1 END) AS flagged,
     sum(CASE WHEN c.coordinated THEN c.size ELSE 0 END) AS flagged_accounts
RETURN r.id AS run_id, r.started_at AS started_at, r.finished_at AS finished_at, r.status AS status,
       r.version AS version, clusters, flagged, flagged_accounts, r.params AS params
ORDER BY r.started_at DESC
LIMIT $limit
