// Every analysis run in the order `latest~N` counts them (finished runs first, then newest first), with how
// many clusters each found and how many of them were flagged as coordinated.
MATCH (r:Run)
OPTIONAL MATCH (r)-[:FOUND]->(c:Cluster)
WITH r, count(c) AS clusters, count(CASE WHEN c.coordinated THEN 1 END) AS flagged
RETURN r.id AS run_id, r.started_at AS started_at, r.finished_at AS finished_at, r.status AS status,
       r.version AS version, clusters, flagged
ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC, r.id DESC
