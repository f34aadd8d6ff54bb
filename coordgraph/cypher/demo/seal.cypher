// After the demo's load: record on its sources how many data nodes (runs and clusters aside) the database then
// holds, all of them the demo's, so a later demo can tell that nothing else was added since.
CALL () { OPTIONAL MATCH (n) WHERE NOT n:Run AND NOT n:Cluster RETURN count(n) AS data_nodes }
MATCH (s:Source {demo: $mark})
SET s.demo_nodes = data_nodes

