"""Readers per input format -> one normalised record model -> batched, idempotent writes to Neo4j.

``ingest_paths`` is the entry point; ``targets`` marks focal accounts.
"""

from .pipeline import FileSummary, IngestSummary, ingest_paths
from .sources import FORMATS

__all__ = ["FORMATS", "FileSummary", "IngestSummary", "ingest_paths"]
