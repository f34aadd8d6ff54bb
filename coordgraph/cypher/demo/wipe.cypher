// Delete everything (auto-commit transaction: the demo clears earlier demo data before loading a new scenario).
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
