MATCH (a:Account:Target)
RETURN a.id AS id, a.username AS username, a.name AS name, a.followers AS followers,
       COUNT { (a)-[:POSTED]->(:Tweet) } AS posts
ORDER BY toLower(coalesce(a.username, a.id))
