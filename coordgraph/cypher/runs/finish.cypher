// Close an analysis run with its final status and summary numbers.
MATCH (r:Run {id: $run_id})
SET r.finished_at = datetime(), r.status = $status, r.summary = $summary
RETURN r.id AS run_id
