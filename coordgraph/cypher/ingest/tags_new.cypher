// From posts created in this transaction (no relationships yet): CREATE the edge; the hashtag is shared, MERGE.
UNWIND $rows AS row
MATCH (t:Tweet {id: row.tweet_id})
MERGE (h:Hashtag {tag: row.tag})
CREATE (t)-[:TAGS]->(h)
