"""coordgraph: find coordinated inauthentic amplification networks with Neo4j and Graph Data Science."""

__version__ = "0.1.0"
