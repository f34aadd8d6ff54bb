// GDS projection of one run's fused account graph: the evidence edges of that run only, weights summed over
// signals and both directions, undirected. Ordered by account ids, both before the sum and before the
// projection: GDS numbers the nodes in the order they arrive, Leiden's partition follows that numbering, and
// the store's own order changes with every load and delete, so without the order the same edges could give
// other communities.
MATCH (a:Account)-[e:COORDINATED {run_id: $run_id}]->(b:Account)
WITH a, b, e
ORDER BY a.id, b.id, e.signal
WITH CASE WHEN a.id < b.id THEN a ELSE b END AS source, CASE WHEN a.id < b.id THEN b ELSE a END AS target,
     sum(e.weight) AS weight
ORDER BY source.id, target.id
WITH gds.graph.project($graph_name, source, target, {relationshipProperties: {weight: weight}},
                       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
