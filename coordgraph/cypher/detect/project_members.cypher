// GDS Cypher projection of one run's evidence graph, for centrality from Python (graphdatascience's
// `gds.graph.project.cypher`, which wants one returned column): the run's COORDINATED edges, weights summed over
// signals and both directions, undirected; every member of the run's clusters is a node even without an edge.
// Ordered by account ids (as detect/project.cypher), so the node numbering does not follow the store's order.
CALL () {
  MATCH (a:Account)-[e:COORDINATED {run_id: $run_id}]->(b:Account)
  WITH a, b, e
  ORDER BY a.id, b.id, e.signal
  RETURN CASE WHEN a.id < b.id THEN a ELSE b END AS source, CASE WHEN a.id < b.id THEN b ELSE a END AS target,
         e.weight AS weight
  UNION ALL
  MATCH (a:Account)-[:MEMBER_OF {run_id: $run_id}]->(:Cluster)
  RETURN a AS source, null AS target, null AS weight
}
WITH source, target, sum(weight) AS weight
ORDER BY source.id, target.id
RETURN gds.graph.project($graph_name, source, target, {relationshipProperties: {weight: weight}},
                         {undirectedRelationshipTypes: ['*']}) AS projection
