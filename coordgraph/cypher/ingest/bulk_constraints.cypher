// Constraints of the database, to re-create after an offline import replaced it.
SHOW CONSTRAINTS YIELD name, createStatement RETURN name, createStatement
