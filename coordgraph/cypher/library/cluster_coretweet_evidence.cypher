// The co-retweet evidence inside a cluster: for each linked pair, the shared posts and how many seconds
// apart the two accounts retweeted each of them. Use $signal for another co-action signal's edges.
// Parameters:
//   run_id          run id; null = the latest run
//   cluster         cluster number within the run
//   signal          evidence signal of the edges to show
//   posts_per_pair  at most this many posts per pair
//   limit           at most this many rows
// :param run_id => null
// :param cluster => 1
// :param signal => "co_retweet"
// :param posts_per_pair => 5
// :param limit => 200
CALL () {
  MATCH (r:Run)
  RETURN r.id AS latest
  ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC
  LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (c:Cluster {run_id: run_id, number: $cluster})
MATCH (a:Account)-[:MEMBER_OF {run_id: run_id}]->(c)<-[:MEMBER_OF {run_id: run_id}]-(b:Account)
MATCH (a)-[e:COORDINATED {run_id: run_id, signal: $signal}]->(b)
UNWIND coalesce(e.posts, [])[..$posts_per_pair] AS post_id
OPTIONAL MATCH (p:Tweet {id: post_id})
OPTIONAL MATCH (a)-[ra:RETWEETED]->(p)
OPTIONAL MATCH (b)-[rb:RETWEETED]->(p)
RETURN a.username AS account_a, b.username AS account_b, e.weight AS weight, e.count AS shared,
       post_id, p.text AS text, ra.at AS a_at, rb.at AS b_at, abs(ra.at_ms - rb.at_ms) / 1000.0 AS seconds_apart
ORDER BY weight DESC, account_a, account_b, a_at
LIMIT $limit
