// What a run did not compute and why: a JSON list of {"stage", "reason"} (read by the reports).
MATCH (r:Run {id: $run_id})
SET r.skipped = $skipped
