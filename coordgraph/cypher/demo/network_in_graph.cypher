// How many of the given account ids are in the graph, and their latest status.
UNWIND $ids AS id
OPTIONAL MATCH (a:Account {id: id})
RETURN count(a) AS found, [s IN collect(a.status) WHERE s IS NOT NULL] AS statuses
