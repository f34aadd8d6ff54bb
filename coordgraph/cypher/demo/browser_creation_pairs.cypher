// Accounts created within ten minutes of each other
MATCH (a:Account), (b:Account)
WHERE a.id < b.id AND abs(a.created_ms - b.created_ms) <= 600000
RETURN a, b LIMIT 200
