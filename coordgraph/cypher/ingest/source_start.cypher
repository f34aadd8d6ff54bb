// Provenance: one Source per file content (sha256); a re-load updates it instead of adding another.
// `demo` is the demo scenario's checksum when the demo loads the file, else null (a user's re-load unmarks it).
MERGE (s:Source {key: $key})
SET s.path = $path, s.sha256 = $sha256, s.format = $format, s.loaded_at = datetime(), s.completed = false,
    s.demo = $demo
