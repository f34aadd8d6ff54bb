// Node and relationship counts (answered from the count store, in constant time): a cheap fingerprint that
// tells whether the graph changed between two reads of the same run.
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
