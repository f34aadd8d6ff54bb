// Provenance of every loaded input: path, checksum, format and row counts.
MATCH (s:Source)
RETURN s.key AS key, s.path AS path, s.sha256 AS sha256, s.format AS format, s.loaded_at AS loaded_at,
       s.rows AS rows, s.loaded AS loaded, s.rejected AS rejected, s.skipped AS skipped, s.completed AS completed
ORDER BY s.loaded_at, s.path
