"""Ad-hoc Cypher for investigators: run a query with parameters and return plain rows."""

from __future__ import annotations

from typing import Any

from neo4j import Driver
from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time


def run_query(driver: Driver, query: str, params: dict[str, Any] | None = None, database: str | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """Run ``query`` with ``params`` (auto-commit, so writes and ``CALL {} IN TRANSACTIONS`` work).

    Returns the column names and the rows, with graph and temporal values made JSON-friendly.
    """
    with driver.session(database=database) as session:
        result = session.run(query, params or {})
        keys = list(result.keys())
        rows = [{k: plain(record[k]) for k in keys} for record in result]
    return keys, rows


def plain(value: Any) -> Any:
    """Convert driver values (nodes, relationships, paths, temporals) into JSON-friendly Python values."""
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [plain(n) for n in value.nodes]
    if isinstance(value, (DateTime, Date, Time)):
        return value.iso_format()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
