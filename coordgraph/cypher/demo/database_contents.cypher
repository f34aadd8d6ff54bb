// What the database holds before the demo loads anything: its data nodes (runs and their clusters aside), its
// accounts and posts, and every loaded source with the demo mark (null for a user's load) and the seal that
// counted the data nodes when the demo's load finished.
CALL () { OPTIONAL MATCH (n) RETURN count(n) AS nodes }
CALL () { OPTIONAL MATCH (n) WHERE NOT n:Run AND NOT n:Cluster RETURN count(n) AS data_nodes }
CALL () { OPTIONAL MATCH (a:Account) RETURN count(a) AS accounts }
CALL () { OPTIONAL MATCH (t:Tweet) RETURN count(t) AS posts }
CALL () { OPTIONAL MATCH (r:Run) RETURN count(r) AS runs }
CALL () {
  OPTIONAL MATCH (s:Source)
  WITH s ORDER BY s.path
  RETURN collect(CASE WHEN s IS NULL THEN null ELSE {path: s.path, demo: s.demo, demo_nodes: s.demo_nodes} END) AS sources
}
RETURN nodes, data_nodes, accounts, posts, runs, sources
