// Of the accounts a run's coordinated clusters held back as unconfirmed ($unconfirmed: account id -> cluster
// number), those the run did not flag elsewhere (the membership test may have attached them to a cluster).
UNWIND keys($unconfirmed) AS account_id
OPTIONAL MATCH (:Account {id: account_id})-[:MEMBER_OF {run_id: $run_id}]->(c:Cluster {run_id: $run_id, coordinated: true})
WITH account_id, count(c) AS flagged
WHERE flagged = 0
RETURN account_id, $unconfirmed[account_id] AS number
ORDER BY account_id
