// Focal accounts, optionally only the one named by id or handle ($target lower-cased, without '@').
MATCH (t:Target)
WHERE $target IS NULL OR t.id = $target OR t.username_lc = $target
RETURN t.id AS target_id, t.username AS username
ORDER BY t.username_lc, t.id
