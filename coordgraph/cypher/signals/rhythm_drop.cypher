// Drop the signal's temporary GDS graph (no error when it is already gone).
CALL gds.graph.drop($graph_name, false) YIELD graphName
RETURN graphName
