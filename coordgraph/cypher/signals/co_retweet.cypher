// Co-action events for co-retweet: one row per retweet (object = the retweeted post; anchor = its post time;
// eid = the post that shares it: the retweet's id, or for one post sharing several objects (a CooRTweet content id
// on several rows, stored as '<content id>#<object id>' beyond the first) that content id).
MATCH (a:Account)-[r:RETWEETED]->(t:Tweet)
WHERE r.at_ms IS NOT NULL
RETURN t.id AS obj, a.id AS acc, r.at_ms AS at,
       CASE WHEN r.id ENDS WITH '#' + t.id THEN left(r.id, size(r.id) - size(t.id) - 1) ELSE r.id END AS eid,
       t.created_ms AS anchor
