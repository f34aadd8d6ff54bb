// The clusters of one run with their members (ordered by score).
MATCH (c:Cluster {run_id: $run_id})
OPTIONAL MATCH (a:Account)-[m:MEMBER_OF {run_id: $run_id}]->(c)
WITH c, a, m ORDER BY m.score DESC
RETURN c.number AS number, c.size AS size, c.score AS score, c.p_value AS p_value, c.q_value AS q_value,
       c.coordinated AS coordinated, c.signals AS signals, collect(a.id) AS members
ORDER BY c.coordinated DESC, c.q_value, c.number
