// GDS projection of one run's fused account graph: the evidence edges of that run only, weights summed over
// signals and both directions, undirected.
MATCH (a:Account)-[e:COORDINATED {run_id: $run_id}]->(b:Account)
WITH CASE WHEN a.id < b.id THEN a ELSE b END AS source, CASE WHEN a.id < b.id THEN b ELSE a END AS target,
     sum(e.weight) AS weight
WITH gds.graph.project($graph_name, source, target, {relationshipProperties: {weight: weight}},
                       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
