// Runs whose id starts with $prefix (a full id is its own prefix), newest first.
MATCH (r:Run)
WHERE r.id STARTS WITH $prefix
RETURN r.id AS run_id
ORDER BY r.started_at DESC, r.id DESC
