// Cluster membership of one run, with each account's score and evidence dossier (JSON).
UNWIND $rows AS row
MATCH (a:Account {id: row.account_id})
MATCH (c:Cluster {key: $run_id + '/' + toString(row.number)})
CREATE (a)-[:MEMBER_OF {run_id: $run_id, score: row.score, p_value: row.p_value, flagged: row.flagged,
  effect: row.effect, effect_low: row.effect_low, effect_high: row.effect_high,
  evidence: row.evidence}]->(c)
