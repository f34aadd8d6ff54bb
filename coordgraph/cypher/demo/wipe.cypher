// Delete every node (auto-commit transaction). Run only after demo/database_contents showed that everything in
// the database is the demo's own data, or on --fresh after naming what will be deleted.
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
