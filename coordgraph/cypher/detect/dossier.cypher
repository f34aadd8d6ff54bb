// An account's evidence in one run: its cluster, and every evidence edge to other members of that cluster
// (signal, count, first/last time, the posts/objects behind it). Parameters: $run_id, $account_id.
MATCH (a:Account {id: $account_id})-[m:MEMBER_OF {run_id: $run_id}]->(c:Cluster {run_id: $run_id})
OPTIONAL MATCH (a)-[e:COORDINATED {run_id: $run_id}]-(b:Account)-[:MEMBER_OF {run_id: $run_id}]->(c)
RETURN c.number AS cluster, c.coordinated AS coordinated, m.score AS score, m.p_value AS p_value,
       b.id AS partner, b.username AS partner_username, e.signal AS signal, e.count AS count,
       startNode(e) = a AS outgoing, e.first_at AS first_at, e.last_at AS last_at, e.posts AS posts
ORDER BY count DESC, partner, signal
