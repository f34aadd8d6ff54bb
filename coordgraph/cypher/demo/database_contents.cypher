// What the database already holds before the demo loads anything: accounts, and the paths of loaded sources.
OPTIONAL MATCH (a:Account)
WITH count(a) AS accounts
OPTIONAL MATCH (s:Source)
RETURN accounts, collect(s.path) AS source_paths
