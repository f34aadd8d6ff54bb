"""Readers per input format -> one normalised record model -> batched, idempotent writes to Neo4j.

``ingest_paths`` is the entry point; ``targets`` marks focal accounts. The names are resolved on first use, so
the input reader process (:mod:`.reading`) imports the parsers without the Neo4j driver.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["FORMATS", "FileSummary", "IngestSummary", "ingest_paths"]
_HOMES = {"FORMATS": ".sources", "FileSummary": ".pipeline", "IngestSummary": ".pipeline", "ingest_paths": ".pipeline"}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
