"""Focal accounts (the ambassador, the embassy ...): marked with the extra label ``:Target``."""

from __future__ import annotations

from neo4j import Driver

from .. import db


def _values(handles_or_ids) -> list[str]:
    if isinstance(handles_or_ids, str):
        handles_or_ids = [handles_or_ids]
    return [str(v).strip() for v in handles_or_ids if str(v).strip()]


def add_targets(driver: Driver, handles_or_ids, database: str | None = None) -> list[dict]:
    """Mark accounts as targets by handle (case-insensitive, ``@`` optional) or numeric id; any value that
    matches an account id exactly also counts. Returns one row per input value: ``value, id, username, found``."""
    values = _values(handles_or_ids)
    rows = db.read(driver, "ingest/targets_find", database=database, values=values)
    found = [r for r in rows if r["id"] is not None]
    if found:
        db.write(driver, "ingest/targets_add", database=database, ids=sorted({r["id"] for r in found}))
    return rows


def list_targets(driver: Driver, database: str | None = None) -> list[dict]:
    """Every target account: ``id, username, name, followers, posts``."""
    return db.read(driver, "ingest/targets_list", database=database)


def remove_targets(driver: Driver, handles_or_ids, database: str | None = None) -> list[dict]:
    """Remove the ``:Target`` label from the given accounts; returns one row per input value."""
    values = _values(handles_or_ids)
    rows = db.read(driver, "ingest/targets_find", database=database, values=values)
    found = [r for r in rows if r["id"] is not None]
    if found:
        db.write(driver, "ingest/targets_remove", database=database, ids=sorted({r["id"] for r in found}))
    return rows
