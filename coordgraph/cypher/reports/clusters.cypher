// Clusters of one run, with their statistics.
MATCH (c:Cluster {run_id: $run_id})
RETURN c.key AS key, c.number AS number, c.size AS size, c.score AS score, c.p_value AS p_value,
       c.q_value AS q_value, coalesce(c.coordinated, false) AS coordinated, c.signals AS signals,
       properties(c)['reason'] AS reason, properties(c)['effect'] AS effect,
       properties(c)['effect_low'] AS effect_low, properties(c)['effect_high'] AS effect_high
ORDER BY c.number
