// What deleting one run would remove: its clusters, memberships and evidence edges (nothing else is touched).
MATCH (r:Run {id: $run_id})
RETURN 1 AS runs,
       COUNT { MATCH (r)-[:FOUND]->(:Cluster) } AS clusters,
       COUNT { MATCH (:Account)-[m:MEMBER_OF {run_id: $run_id}]->(:Cluster) } AS memberships,
       COUNT { MATCH ()-[e:COORDINATED {run_id: $run_id}]->() } AS edges
