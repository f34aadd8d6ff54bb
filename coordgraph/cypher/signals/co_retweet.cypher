// Co-action events for co-retweet: one row per retweet (object = the retweeted post; anchor = its post time).
MATCH (a:Account)-[r:RETWEETED]->(t:Tweet)
WHERE r.at_ms IS NOT NULL
RETURN t.id AS obj, a.id AS acc, r.at_ms AS at, r.id AS eid, t.created_ms AS anchor
