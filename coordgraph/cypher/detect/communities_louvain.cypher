// Louvain communities on a projected run graph (weighted, seeded, single-threaded for reproducibility).
CALL gds.louvain.stream($graph_name, {relationshipWeightProperty: 'weight', randomSeed: $seed, concurrency: 1})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).id AS account_id, communityId AS community
