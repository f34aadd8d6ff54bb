// Leiden communities on a projection of integer ids (project_pairs.cypher): weighted, seeded, single-threaded.
CALL gds.leiden.stream($graph_name, {relationshipWeightProperty: 'weight', randomSeed: $seed, concurrency: 1,
                                     gamma: $resolution})
YIELD nodeId, communityId
RETURN nodeId AS node, communityId AS community
