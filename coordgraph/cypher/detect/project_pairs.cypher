// GDS projection of a weighted account-pair graph given as three parallel lists (accounts as integer ids, no
// stored nodes; lists of numbers travel and sit in memory far more compactly than one map per pair): the group
// route's unthresholded co-action graph (analytics/sparse_groups.py), undirected.
UNWIND range(0, size($a) - 1) AS i
WITH gds.graph.project($graph_name, $a[i], $b[i], {relationshipProperties: {weight: $weight[i]}},
                       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
