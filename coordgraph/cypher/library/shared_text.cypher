// Copied talking points: identical normalised texts (same text_hash) posted by several members of one
// cluster, most widely shared first.
// Parameters:
//   run_id       run id; null = the latest run
//   cluster      cluster number within the run
//   min_authors  smallest number of distinct members sharing a text
//   limit        at most this many texts
// :param run_id => null
// :param cluster => 1
// :param min_authors => 2
// :param limit => 50
CALL () {
  MATCH (r:Run)
  RETURN r.id AS latest
  ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC
  LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (a:Account)-[:MEMBER_OF {run_id: run_id}]->(:Cluster {run_id: run_id, number: $cluster})
MATCH (a)-[:POSTED]->(t:Tweet)
WHERE t.text_hash IS NOT NULL AND t.text_hash <> 'e4a6a0577479b2b4'  // not the empty normalised text
WITH t.text_hash AS text_hash, collect(DISTINCT a.username) AS authors, collect(t) AS posts
WHERE size(authors) >= $min_authors
RETURN head(posts).text AS text, size(authors) AS authors_count, size(posts) AS posts_count, authors[..20] AS authors,
       datetime({epochMillis: reduce(m = head(posts).created_ms, p IN posts | CASE WHEN p.created_ms < m THEN p.created_ms ELSE m END)}) AS first_at
ORDER BY authors_count DESC, posts_count DESC
LIMIT $limit
