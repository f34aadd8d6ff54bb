// Members of every cluster of one run, for comparing the run with a ground truth.
MATCH (a:Account)-[:MEMBER_OF {run_id: $run_id}]->(c:Cluster {run_id: $run_id})
RETURN a.id AS account_id, c.number AS number, coalesce(c.coordinated, false) AS coordinated
ORDER BY number, account_id
