UNWIND $ids AS id
MATCH (a:Account {id: id})
SET a:Target
