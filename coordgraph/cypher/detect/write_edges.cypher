// Evidence edges of one run: one per signal per pair (directed for rapid follow-on, a < b otherwise).
// weight = the signal's contribution to the fused graph (0..1); count = raw co-actions / shared items;
// fast_count = the shared objects co-acted on inside the narrower nested window (co-action signals only).
UNWIND $rows AS row
MATCH (a:Account {id: row.a})
MATCH (b:Account {id: row.b})
CREATE (a)-[:COORDINATED {run_id: $run_id, signal: row.signal, weight: row.weight, count: row.count,
  raw_weight: row.raw_weight, fast_count: row.fast_count,
  first_at: CASE WHEN row.first_at IS NULL THEN null ELSE datetime({epochMillis: row.first_at}) END,
  last_at: CASE WHEN row.last_at IS NULL THEN null ELSE datetime({epochMillis: row.last_at}) END,
  posts: row.posts}]->(b)
