// Coordinated clusters and their members
MATCH (c:Cluster {run_id: $run, coordinated: true})<-[m:MEMBER_OF]-(a:Account)
RETURN c, m, a
