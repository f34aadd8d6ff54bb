// Nodes in the database: a bulk load replaces the whole database, so it runs only when this is 0.
MATCH (n) RETURN count(n) AS nodes
