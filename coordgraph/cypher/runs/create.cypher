// Start an analysis run (status 'running' until runs/finish).
CREATE (r:Run {id: $run_id, started_at: datetime(), version: $version, params: $params, status: 'running'})
RETURN r.id AS run_id
