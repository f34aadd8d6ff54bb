// Weakly connected components of a projected run graph (the peers' "components" grouping).
CALL gds.wcc.stream($graph_name)
YIELD nodeId, componentId
RETURN gds.util.asNode(nodeId).id AS account_id, componentId AS community
