UNWIND $rows AS row
MATCH (t:Tweet {id: row.tweet_id})
MERGE (h:Hashtag {tag: row.tag})
MERGE (t)-[:TAGS]->(h)
