// Provenance of every loaded input file: path, format, sha256 checksum, when it was loaded and row counts.
// Parameters: none
MATCH (s:Source)
RETURN s.path AS path, s.format AS format, s.sha256 AS sha256, s.loaded_at AS loaded_at, s.rows AS rows,
       s.loaded AS loaded, s.rejected AS rejected, s.skipped AS skipped, s.completed AS completed
ORDER BY s.loaded_at
