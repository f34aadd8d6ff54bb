// GDS projection of a weighted account-pair graph given as rows (accounts as integer ids, no stored nodes):
// the group route's unthresholded co-action graph (analytics/sparse_groups.py), undirected.
UNWIND $rows AS row
WITH gds.graph.project($graph_name, row.a, row.b, {relationshipProperties: {weight: row.weight}},
                       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
