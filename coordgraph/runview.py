"""Runs as an investigator reads them: one line per run, one run in detail, and what changed between two runs.

Built on :mod:`coordgraph.runs` (which creates, resolves and deletes runs). ``flagged`` means a member of a
cluster the run reported as coordinated.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from . import db

# Parameters shown in the one-line summary, in this order, with their short labels.
_SHORT = (("window_s", "W {} s"), ("min_repeat", "min {}"), ("fast_window_s", "fast {} s"), ("algorithm", "{}"),
          ("seed", "seed {}"), ("alpha", "alpha {}"), ("n_null", "{} draws"))


def overview(driver: Driver, database: str | None = None) -> list[dict[str, Any]]:
    """Every run (newest finished first) with ``params_line``, clusters, flagged clusters and flagged accounts."""
    rows = db.read(driver, "runs/overview", database=database)
    for row in rows:
        row["params_line"] = params_line(row["params"])
    return rows


def params_line(params_json: str | None) -> str:
    """A run's parameters on one line: window, minimum, fast window, algorithm, seed, alpha, draws, signals
    (``all`` when the run computed every signal it knew), time range."""
    try:
        params = json.loads(params_json) if params_json else {}
    except ValueError:
        return str(params_json)
    parts = [label.format(_fmt(params[key])) for key, label in _SHORT if params.get(key) is not None]
    signals = params.get("signals")
    if signals:
        from .analytics.signals import SIGNALS

        if set(signals) >= set(SIGNALS):
            parts.append("all signals")
        else:
            parts.append(",".join(signals) if len(signals) <= 4 else f"{len(signals)} signals")
    time_range = params.get("time_range") or {}
    if time_range.get("since") or time_range.get("until"):
        parts.append(f"{(time_range.get('since') or '…')[:19]} .. {(time_range.get('until') or '…')[:19]}")
    return ", ".join(parts)


def footprint(driver: Driver, run_id: str, database: str | None = None) -> dict[str, int]:
    """What deleting ``run_id`` would remove (``runs``, ``clusters``, ``memberships``, ``edges``)."""
    rows = db.read(driver, "runs/footprint", database=database, run_id=run_id)
    return dict(rows[0]) if rows else {"runs": 0, "clusters": 0, "memberships": 0, "edges": 0}


def details(driver: Driver, run_id: str, database: str | None = None) -> dict[str, Any]:
    """One run: its overview row, parameters (parsed), summary (parsed), clusters and evidence edges per signal."""
    row = next(r for r in overview(driver, database) if r["run_id"] == run_id)
    return {
        **row,
        "params": _parsed(row["params"]),
        "summary": _parsed(row["summary"]),
        "cluster_rows": db.read(driver, "runs/clusters", database=database, run_id=run_id),
        "evidence": {r["signal"]: r["edges"] for r in db.read(driver, "runs/evidence_by_signal", database=database, run_id=run_id)},
    }


@dataclass
class RunDiff:
    """What changed from run ``a`` to run ``b``.

    ``entered``/``left``: accounts flagged in b but not a / in a but not b. ``splits``: a flagged cluster of a
    whose accounts flagged in b sit in several b clusters (a's number -> b's numbers); ``merges``: a flagged
    cluster of b holding accounts of several flagged clusters of a (b's number -> a's numbers). ``evidence``:
    evidence edges per signal in a and b."""

    a: str
    b: str
    entered: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    stayed: list[str] = field(default_factory=list)
    splits: dict[int, list[int]] = field(default_factory=dict)
    merges: dict[int, list[int]] = field(default_factory=dict)
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)


def compare_memberships(a: dict[str, int], b: dict[str, int]) -> dict[str, Any]:
    """The flagged-set and cluster changes between two runs' flagged memberships (account -> cluster number)."""
    entered = sorted(set(b) - set(a))
    left = sorted(set(a) - set(b))
    stayed = sorted(set(a) & set(b))
    a_to_b: dict[int, set[int]] = defaultdict(set)
    b_to_a: dict[int, set[int]] = defaultdict(set)
    for account in stayed:
        a_to_b[a[account]].add(b[account])
        b_to_a[b[account]].add(a[account])
    splits = {k: sorted(v) for k, v in sorted(a_to_b.items()) if len(v) > 1}
    merges = {k: sorted(v) for k, v in sorted(b_to_a.items()) if len(v) > 1}
    return {"entered": entered, "left": left, "stayed": stayed, "splits": splits, "merges": merges}


def diff(driver: Driver, run_a: str, run_b: str, database: str | None = None) -> RunDiff:
    """Compare two runs (ids as stored; resolve what a user typed with :func:`coordgraph.runs.resolve`)."""
    flagged = {}
    evidence = {}
    for run_id in (run_a, run_b):
        rows = db.read(driver, "runs/memberships", database=database, run_id=run_id)
        flagged[run_id] = {r["account_id"]: r["cluster"] for r in rows if r["coordinated"]}
        evidence[run_id] = {r["signal"]: r["edges"] for r in db.read(driver, "runs/evidence_by_signal", database=database, run_id=run_id)}
    changes = compare_memberships(flagged[run_a], flagged[run_b])
    signals = sorted(set(evidence[run_a]) | set(evidence[run_b]))
    return RunDiff(run_a, run_b, **changes,
                   evidence={s: (evidence[run_a].get(s, 0), evidence[run_b].get(s, 0)) for s in signals})


def _parsed(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
