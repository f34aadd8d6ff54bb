UNWIND $ids AS id
MATCH (a:Account:Target {id: id})
REMOVE a:Target
