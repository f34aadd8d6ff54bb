// Leiden communities on a projected run graph (weighted, seeded, single-threaded for reproducibility).
CALL gds.leiden.stream($graph_name, {relationshipWeightProperty: 'weight', randomSeed: $seed, concurrency: 1,
                                     gamma: $resolution})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).id AS account_id, communityId AS community
