// Co-action events for co-retweet: one row per retweet (object = the retweeted post; anchor = its post time;
// eid = the retweet's content_id when it has one (one source content id on two posts), else its id).
MATCH (a:Account)-[r:RETWEETED]->(t:Tweet)
WHERE r.at_ms IS NOT NULL
RETURN t.id AS obj, a.id AS acc, r.at_ms AS at, coalesce(r.content_id, r.id) AS eid, t.created_ms AS anchor
