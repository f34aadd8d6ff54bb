// One run's cluster memberships: each account with its cluster number and whether that cluster is coordinated.
MATCH (r:Run {id: $run_id})-[:FOUND]->(c:Cluster)<-[:MEMBER_OF {run_id: $run_id}]-(a:Account)
RETURN a.id AS account_id, c.number AS cluster, c.coordinated AS coordinated
ORDER BY cluster, account_id
