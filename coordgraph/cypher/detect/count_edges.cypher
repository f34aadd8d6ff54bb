// How many evidence edges a run has.
MATCH ()-[e:COORDINATED {run_id: $run_id}]->()
RETURN count(e) AS n
