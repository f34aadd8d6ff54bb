// Coordination evidence edges of one run (one per signal per pair).
MATCH (a:Account)-[e:COORDINATED {run_id: $run_id}]->(b:Account)
RETURN a.id AS source, b.id AS target, e.signal AS signal, e.weight AS weight, e.count AS count,
       e.first_at AS first_at, e.last_at AS last_at, e.posts AS posts
ORDER BY e.weight DESC, source, target, signal
