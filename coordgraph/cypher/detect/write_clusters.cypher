// Clusters of one run, attached to the run. `reason`: why a cluster is not coordinated ('' when it is).
MATCH (r:Run {id: $run_id})
UNWIND $rows AS row
CREATE (c:Cluster {key: $run_id + '/' + toString(row.number), run_id: $run_id, number: row.number, size: row.size,
  score: row.score, p_value: row.p_value, q_value: row.q_value, coordinated: row.coordinated, reason: row.reason,
  signals: row.signals,
  effect: row.effect, effect_low: row.effect_low, effect_high: row.effect_high})
CREATE (r)-[:FOUND]->(c)
