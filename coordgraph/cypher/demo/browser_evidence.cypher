// Evidence links inside the clusters
MATCH (a:Account)-[e:COORDINATED {run_id: $run}]->(b:Account)
RETURN a, e, b LIMIT 400
