// The ids of the :Target accounts' posts (the objects of rapid follow-on).
MATCH (:Target)-[:POSTED]->(t:Tweet)
RETURN collect(t.id) AS posts
