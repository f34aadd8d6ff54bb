// Indexes of the database not backing a constraint, to re-create after an offline import replaced it.
SHOW INDEXES YIELD name, type, owningConstraint, createStatement
WHERE owningConstraint IS NULL AND type <> 'LOOKUP'
RETURN name, createStatement
