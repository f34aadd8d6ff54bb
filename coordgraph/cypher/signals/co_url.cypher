// Co-action events for co-URL: one row per (post, link) (object = the URL). A `Url` node standing for a
// domain shared without a URL (`domain:<id>`, made by ingest for CooRTweet's domain-only rows) is a domain
// share, counted by co-domain, not a URL.
MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:LINKS]->(u:Url)
WHERE p.created_ms IS NOT NULL AND NOT u.url STARTS WITH 'domain:'
RETURN u.url AS obj, a.id AS acc, p.created_ms AS at, p.id AS eid, null AS anchor
