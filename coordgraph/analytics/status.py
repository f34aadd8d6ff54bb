"""Account status of cluster members (active / suspended / deleted) from loaded status snapshots."""

from __future__ import annotations

import pandas as pd
from neo4j import Driver
from neo4j.time import DateTime

from .. import db
from ..adhoc import plain

STATUSES = ("active", "suspended", "deleted", "unknown")
MEMBER_COLUMNS = ["cluster", "coordinated", "account_id", "username", "status", "checked_at"]
SUMMARY_COLUMNS = ["run_id", "cluster", "coordinated", "members", *STATUSES, "first_checked", "last_checked"]


def member_status(driver: Driver, run_id: str, as_of: str | None = None,
                  database: str | None = None) -> pd.DataFrame:
    """One row per cluster member with its status and when it was checked (columns :data:`MEMBER_COLUMNS`).

    Without ``as_of`` the latest known status (``Account.status``); with an ISO date-time ``as_of``, the
    latest ``StatusCheck`` on or before it. Accounts no snapshot covers are ``unknown``.
    """
    rows = db.read(driver, "reports/cluster_status", database=database, run_id=run_id, as_of=as_of)
    frame = pd.DataFrame([{k: _iso(v) for k, v in r.items()} for r in rows], columns=MEMBER_COLUMNS)
    frame["status"] = frame["status"].str.lower()
    return frame


def cluster_status(driver: Driver, run_id: str, as_of: str | None = None,
                   database: str | None = None) -> pd.DataFrame:
    """Per cluster of the run: members by status and the first/last check time (columns :data:`SUMMARY_COLUMNS`).

    Statuses other than active / suspended / deleted / unknown get their own column.
    """
    members = member_status(driver, run_id, as_of, database)
    if members.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    counts = members.pivot_table(index=["cluster", "coordinated"], columns="status", values="account_id",
                                 aggfunc="count", fill_value=0)
    extra = sorted(set(counts.columns) - set(STATUSES))
    counts = counts.reindex(columns=[*STATUSES, *extra], fill_value=0).astype(int)
    checked = members.groupby(["cluster", "coordinated"])["checked_at"].agg(["min", "max"])
    summary = counts.join(checked.rename(columns={"min": "first_checked", "max": "last_checked"})).reset_index()
    summary.insert(0, "run_id", run_id)
    summary.insert(3, "members", counts.sum(axis=1).to_numpy())
    summary.columns.name = None
    return summary[[*SUMMARY_COLUMNS, *extra]]


def _iso(value):
    """Neo4j date-times as ISO 8601 with at most microseconds (what Python and spreadsheets read)."""
    if isinstance(value, DateTime):
        return value.to_native().isoformat()
    return plain(value)
