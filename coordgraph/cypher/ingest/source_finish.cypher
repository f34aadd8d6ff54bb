MATCH (s:Source {key: $key})
SET s.rows = $rows, s.loaded = $loaded, s.rejected = $rejected, s.skipped = $skipped, s.events = $events,
    s.sha256 = coalesce($sha256, s.sha256), s.rejects_file = $rejects_file, s.completed = $completed,
    s.finished_at = datetime()
