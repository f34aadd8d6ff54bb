// A handle learnt for an account in the graph that had none (the writer checks that it had none).
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
SET a.username = row.username, a.username_lc = row.username_lc
