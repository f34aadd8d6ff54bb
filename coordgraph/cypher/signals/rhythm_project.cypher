// Project the accounts with their hour-of-week vectors (node property `rhythm`) into GDS graph $graph_name.
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
WITH gds.graph.project($graph_name, a, null,
       {sourceNodeProperties: {rhythm: row.vector}, targetNodeProperties: null}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes
