// How many :Target accounts there are (without targets, the language benchmark is every account).
MATCH (t:Target)
RETURN count(t) AS targets
