UNWIND $rows AS row
MATCH (t:Tweet {id: row.tweet_id})
MATCH (a:Account {id: row.account_id})
MERGE (t)-[:MENTIONS]->(a)
