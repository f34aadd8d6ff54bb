// Clusters of one run, with their statistics.
MATCH (c:Cluster {run_id: $run_id})
RETURN c.key AS key, c.number AS number, c.size AS size, c.score AS score, c.p_value AS p_value,
       c.q_value AS q_value, coalesce(c.coordinated, false) AS coordinated, c.signals AS signals,
       properties(c)['reason'] AS reason
ORDER BY c.number
