"""Readers per input format -> one normalised record model -> batched, idempotent writes to Neo4j."""
