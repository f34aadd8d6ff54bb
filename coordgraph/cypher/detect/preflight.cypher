// What detection has to work on, read before a run is created: posts and engagements (retweets, replies,
// quotes), the :Target accounts, and the engagements of a :Target's posts by other accounts.
CALL () { OPTIONAL MATCH (:Account)-[p:POSTED]->(:Tweet) RETURN count(p) AS posts }
CALL () { OPTIONAL MATCH (:Account)-[r:RETWEETED]->(:Tweet) RETURN count(r) AS retweets }
CALL () { OPTIONAL MATCH (t:Target) RETURN count(t) AS targets }
CALL () {
  OPTIONAL MATCH (:Target)-[:POSTED]->(t:Tweet)
  CALL (t) {
    OPTIONAL MATCH (a:Account)-[r:RETWEETED]->(t) WHERE NOT a:Target
    RETURN count(r) AS n
    UNION ALL
    OPTIONAL MATCH (a:Account)-[:POSTED]->(:Tweet)-[e:REPLY_TO|QUOTES]->(t) WHERE NOT a:Target
    RETURN count(e) AS n
  }
  RETURN sum(n) AS target_actions
}
RETURN posts + retweets AS actions, targets, coalesce(target_actions, 0) AS target_actions
