// Wait (up to an hour) until every index is online after an offline import.
CALL db.awaitIndexes(3600)
