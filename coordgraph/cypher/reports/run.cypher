// One run's record and how many clusters it found (flagged = coordinated).
MATCH (r:Run {id: $run_id})
OPTIONAL MATCH (r)-[:FOUND]->(c:Cluster)
RETURN properties(r) AS run,
       count(c) AS clusters,
       count(CASE WHEN c.coordinated THEN 1 END) AS flagged_clusters
