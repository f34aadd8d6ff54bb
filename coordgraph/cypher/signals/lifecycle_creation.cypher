// Creation times of the accounts the creation-burst signal scores: non-target accounts with a known creation
// time, optionally only those that act in the data (posted or retweeted something).
MATCH (a:Account)
WHERE a.created_ms IS NOT NULL AND NOT a:Target
  AND (NOT $active_only OR EXISTS { (a)-[:POSTED|RETWEETED]->(:Tweet) })
RETURN a.id AS account_id, a.created_ms AS created_ms
