// One run's evidence edges counted per signal.
MATCH ()-[e:COORDINATED {run_id: $run_id}]->()
RETURN e.signal AS signal, count(e) AS edges
ORDER BY signal
