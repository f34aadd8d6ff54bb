"""Analysis runs: create and finish them, find the latest, resolve what a user typed, list and delete them.

A run is a ``(:Run {id})`` node with ``(:Run)-[:FOUND]->(:Cluster)``, and ``MEMBER_OF`` and ``COORDINATED``
relationships carrying its ``run_id``. Library functions take a run id that exists; only the command line and
``write_report`` turn what a user typed into one, once, with :func:`resolve`.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from typing import Any

from neo4j import Driver

from . import __version__, cypher, db
from .errors import NoRunError
from .timerange import TimeRange

# ``latest`` or ``latest~N``: the N-th run before the latest.
_LATEST = re.compile(r"latest(?:~(\d+))?")
_LIST_HINT = "List runs with `coordgraph runs list`."


def new_id() -> str:
    """A fresh run id: the UTC start time, sortable, plus a random suffix."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def create(driver: Driver, params_json: str, database: str | None = None) -> str:
    """Record a new run (status ``running``) with its parameters (JSON text); return its id."""
    run_id = new_id()
    db.write(driver, "runs/create", database=database, run_id=run_id, version=__version__, params=params_json)
    return run_id


def finish(driver: Driver, run_id: str, status: str, summary_json: str | None, database: str | None = None) -> None:
    """Close a run with its final ``status`` (``completed`` / ``failed``) and summary (JSON text or None)."""
    db.write(driver, "runs/finish", database=database, run_id=run_id, status=status, summary=summary_json)


def latest(driver: Driver, back: int = 0, database: str | None = None) -> str:
    """The id of the most recent run (finished runs first), or of the ``back``-th run before it."""
    rows = db.read(driver, "runs/latest", database=database, skip=int(back))
    if not rows:
        if back:
            raise NoRunError(f"There is no run {back} before the latest.", _LIST_HINT)
        raise NoRunError("There is no analysis run in the database.", "Run `coordgraph detect` first.")
    return rows[0]["run_id"]


def resolve(driver: Driver, ref: str | None, database: str | None = None) -> str:
    """The id of the run ``ref`` names: a full id, a unique id prefix, ``latest`` (also None) or ``latest~N``.

    Raises :class:`NoRunError` when no run matches or a prefix matches several (naming them).
    """
    ref = "latest" if ref is None else ref.strip()
    match = _LATEST.fullmatch(ref)
    if match:
        return latest(driver, int(match.group(1) or 0), database)
    if not ref:
        raise NoRunError("An empty run id names no run.", _LIST_HINT)
    candidates = [r["run_id"] for r in db.read(driver, "runs/with_prefix", database=database, prefix=ref)]
    if ref in candidates:
        return ref
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NoRunError(f"No run with id {ref!r}.", _LIST_HINT)
    shown = ", ".join(candidates[:10]) + (f" and {len(candidates) - 10} more" if len(candidates) > 10 else "")
    raise NoRunError(f"Run id prefix {ref!r} matches {len(candidates)} runs: {shown}.", "Type more of the id.")


def time_range(driver: Driver, run_id: str, database: str | None = None) -> TimeRange:
    """The range of actions run ``run_id`` was detected on (unbounded for a run made without one)."""
    rows = db.read(driver, "reports/run", database=database, run_id=run_id)
    if not rows:
        raise NoRunError(f"No run with id {run_id!r}.", _LIST_HINT)
    try:
        params = json.loads(rows[0]["run"].get("params") or "{}")
    except (TypeError, ValueError):
        params = {}
    return TimeRange.from_record(params.get("time_range") if isinstance(params, dict) else None)


def list_runs(driver: Driver, database: str | None = None) -> list[dict[str, Any]]:
    """Every run, in the order ``latest~N`` counts them, with its cluster and flagged-cluster counts."""
    return db.read(driver, "runs/list", database=database)


def delete(driver: Driver, run_id: str, database: str | None = None) -> dict[str, int]:
    """Delete exactly run ``run_id``: its Run node, Clusters, MEMBER_OF and COORDINATED relationships.

    Returns how many of each were removed (``runs``, ``clusters``, ``memberships``, ``edges``); all zero when
    there is no such run. Nothing of any other run is touched.
    """
    query = cypher.load("runs/delete")

    def work(tx):
        record = tx.run(query, run_id=run_id).single()
        return dict(record) if record else {"runs": 0, "clusters": 0, "memberships": 0, "edges": 0}

    with driver.session(database=database) as session:
        return session.execute_write(work)
