// Every node and its relationships, deleted in transactions of $rows nodes (an auto-commit query: `coordgraph db
// clear`, and the demo's wipe of its own data). Constraints and indexes stay.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS
