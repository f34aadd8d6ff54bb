// The most recent analysis run but $skip (latest~N skips N): finished runs first, then by start time.
MATCH (r:Run)
RETURN r.id AS run_id
ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC, r.id DESC
SKIP $skip
LIMIT 1
