// Louvain communities on a projected run graph (weighted, single-threaded so the result is reproducible).
CALL gds.louvain.stream($graph_name, {relationshipWeightProperty: 'weight', concurrency: 1})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).id AS account_id, communityId AS community
