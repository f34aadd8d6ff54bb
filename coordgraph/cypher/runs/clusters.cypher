// One run's clusters in number order.
MATCH (:Run {id: $run_id})-[:FOUND]->(c:Cluster)
RETURN c.number AS number, c.size AS size, c.score AS score, c.p_value AS p_value, c.q_value AS q_value,
       c.coordinated AS coordinated
ORDER BY c.number
