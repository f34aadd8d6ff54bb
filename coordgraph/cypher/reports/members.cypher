// Members of the clusters of one run with their profile, membership score and evidence, and activity totals.
MATCH (a:Account)-[m:MEMBER_OF {run_id: $run_id}]->(c:Cluster {run_id: $run_id})
CALL (a) {
  OPTIONAL MATCH (a)-[:POSTED]->(p:Tweet)
  RETURN count(p) AS posts, min(p.created_ms) AS first_post_ms, max(p.created_ms) AS last_post_ms
}
CALL (a) {
  OPTIONAL MATCH (a)-[r:RETWEETED]->(:Tweet)
  RETURN count(r) AS retweets, min(r.at_ms) AS first_retweet_ms, max(r.at_ms) AS last_retweet_ms
}
RETURN c.number AS cluster, coalesce(c.coordinated, false) AS coordinated, a.id AS account_id,
       a.username AS username, a.name AS name, a.platform AS platform, a.created_ms AS created_ms, a.description AS description,
       a.location AS location, a.lang AS lang, a.followers AS followers, a.following AS following,
       a.tweet_count AS tweet_count, a.verified AS verified, a.default_profile_image AS default_profile_image,
       a.status AS status, a.status_checked_at AS status_checked_at,
       m.score AS score, m.evidence AS evidence, posts, retweets,
       CASE WHEN first_post_ms IS NULL THEN first_retweet_ms
            WHEN first_retweet_ms IS NULL THEN first_post_ms
            WHEN first_post_ms < first_retweet_ms THEN first_post_ms ELSE first_retweet_ms END AS first_active_ms,
       CASE WHEN last_post_ms IS NULL THEN last_retweet_ms
            WHEN last_retweet_ms IS NULL THEN last_post_ms
            WHEN last_post_ms > last_retweet_ms THEN last_post_ms ELSE last_retweet_ms END AS last_active_ms
ORDER BY cluster, score DESC, account_id
