// Every run and cluster an account was placed in, with its membership score and evidence.
// Parameters:
//   account (required)  account id, handle or @handle
// :param account => "SomeHandle"
WITH toLower(CASE WHEN $account STARTS WITH '@' THEN substring($account, 1) ELSE $account END) AS handle
MATCH (a:Account)
WHERE a.id = $account OR a.username_lc = handle
MATCH (a)-[m:MEMBER_OF]->(c:Cluster)
OPTIONAL MATCH (r:Run {id: c.run_id})
RETURN a.username AS account, c.run_id AS run_id, r.started_at AS run_started_at, c.number AS cluster,
       c.coordinated AS flagged, c.size AS size, c.p_value AS p_value, m.score AS score, m.evidence AS evidence
ORDER BY run_started_at DESC, cluster
