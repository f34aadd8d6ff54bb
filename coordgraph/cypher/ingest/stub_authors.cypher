// The author learnt for a stub that had none (the writer checks both).
UNWIND $rows AS row
MATCH (t:Tweet {id: row.id})
SET t.author_id = row.author_id
