"""Impact: the share of each target's engagement (retweets, replies, quotes) written by flagged accounts.

For every target (``:Target``) the engagements are the retweets, replies and quotes of the target's own posts
by other accounts. Each flagged cluster of a run (``Cluster.coordinated``), all flagged accounts together, or
an arbitrary set of account ids is compared with that total, over the whole period or per Monday-based UTC week.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from neo4j import Driver

from .. import db
from ..errors import CoordgraphError

KINDS = ("retweet", "reply", "quote")
# Column prefix per engagement kind, plus the sum of the three.
KIND_COLUMNS = {"retweet": "retweets", "reply": "replies", "quote": "quotes"}
ALL_FLAGGED = "all flagged"
ACCOUNT_SET = "accounts"

COLUMNS = [
    "run_id", "target_id", "target", "group", "cluster", "members", "week",
    "retweets", "retweets_total", "retweets_share",
    "replies", "replies_total", "replies_share",
    "quotes", "quotes_total", "quotes_share",
    "engagements", "engagements_total", "engagements_share",
    "peak",
]


def resolve_targets(driver: Driver, target: str | None = None, database: str | None = None) -> list[dict]:
    """Targets as ``[{"target_id", "username"}]``: all of them, or the one given by id, handle or @handle."""
    key = target.strip().lstrip("@").lower() if target else None
    rows = db.read(driver, "reports/targets", database=database, target=key)
    if target is not None and not rows:
        # Ids are matched exactly (they are case-sensitive strings on some platforms).
        rows = db.read(driver, "reports/targets", database=database, target=target.strip())
    if not rows:
        hint = "Mark focal accounts with `coordgraph targets add HANDLE`."
        raise CoordgraphError(f"No target {target!r}." if target else "No target accounts are marked.", hint)
    return rows


def impact(
    driver: Driver,
    run_id: str | None = None,
    target: str | None = None,
    weekly: bool = False,
    account_ids: Iterable[str] | None = None,
    peaks: int = 3,
    database: str | None = None,
) -> pd.DataFrame:
    """Share of each target's retweets, replies and quotes written by flagged clusters (or ``account_ids``).

    With ``account_ids`` the one group is that set of accounts (no run is needed; ``run_id`` is ignored);
    otherwise one row group per flagged cluster of run ``run_id`` (an existing id, see
    :func:`coordgraph.runs.resolve`) plus ``"all flagged"``.
    Rows: one per target x group (x week when ``weekly``; weeks are Monday-based, UTC, ISO dates), columns
    :data:`COLUMNS`; ``<kind>`` counts the group's engagements, ``<kind>_total`` all engagements, ``<kind>_share``
    their ratio (0..1; NaN when the total is 0). ``peak`` marks, per target and group, the (at most ``peaks``)
    weeks with the highest engagement share among those above the group's whole-period share (always False for
    whole-period rows).
    """
    if account_ids is None and run_id is None:
        raise ValueError("impact() needs a run id or account_ids")
    targets = resolve_targets(driver, target, database)
    target_ids = [t["target_id"] for t in targets]
    names = {t["target_id"]: t["username"] for t in targets}

    if account_ids is not None:
        ids = sorted(set(account_ids))
        rows = db.read(driver, "reports/engagement_by_accounts", database=database,
                       target_ids=target_ids, account_ids=ids, weekly=weekly)
        counts = pd.DataFrame(rows, columns=["target_id", "kind", "week", "in_set", "n"])
        counts["group"] = counts["in_set"].map({True: ACCOUNT_SET, False: None})
        counts["cluster"] = None
        sizes = {ACCOUNT_SET: len(ids)}
        groups = [(ACCOUNT_SET, None)]
        run_id = None
    else:
        rows = db.read(driver, "reports/engagement_by_cluster", database=database,
                       target_ids=target_ids, run_id=run_id, weekly=weekly)
        counts = pd.DataFrame(rows, columns=["target_id", "kind", "week", "cluster", "coordinated", "n"])
        clusters = [c for c in db.read(driver, "reports/clusters", database=database, run_id=run_id) if c["coordinated"]]
        flagged = {c["number"] for c in clusters}
        counts["group"] = [f"cluster {int(c)}" if pd.notna(c) and int(c) in flagged else None for c in counts["cluster"]]
        sizes = {f"cluster {c['number']}": c["size"] for c in clusters}
        sizes[ALL_FLAGGED] = sum(c["size"] or 0 for c in clusters)
        groups = [(f"cluster {c['number']}", c["number"]) for c in clusters] + [(ALL_FLAGGED, None)]
        flagged_rows = counts[counts["group"].notna()].copy()
        flagged_rows["group"] = ALL_FLAGGED
        counts = pd.concat([counts, flagged_rows], ignore_index=True)

    return _shares(counts, groups, sizes, target_ids, names, run_id, weekly, peaks)


def _shares(counts, groups, sizes, target_ids, names, run_id, weekly, peaks) -> pd.DataFrame:
    keys = ["target_id", "week"]
    counts = counts.copy()
    counts["week"] = counts["week"].where(counts["week"].notna(), "") if weekly else ""
    counts = counts[counts["week"] != ""] if weekly else counts
    # "all flagged" rows repeat the cluster rows; totals count every engagement once.
    base = counts[counts["group"] != ALL_FLAGGED]
    totals = base.pivot_table(index=keys, columns="kind", values="n", aggfunc="sum", fill_value=0)
    totals = totals.reindex(columns=list(KINDS), fill_value=0)
    # Every target keeps a whole-period row even without engagements.
    if not weekly:
        totals = totals.reindex(pd.MultiIndex.from_product([target_ids, [""]], names=keys), fill_value=0)
    out = []
    for group, cluster in groups:
        mine = counts[counts["group"] == group]
        by = mine.pivot_table(index=keys, columns="kind", values="n", aggfunc="sum", fill_value=0)
        by = by.reindex(index=totals.index, columns=list(KINDS), fill_value=0)
        frame = pd.DataFrame(index=totals.index)
        for kind, col in KIND_COLUMNS.items():
            frame[col] = by[kind].astype(int)
            frame[f"{col}_total"] = totals[kind].astype(int)
        frame["engagements"] = frame[[KIND_COLUMNS[k] for k in KINDS]].sum(axis=1)
        frame["engagements_total"] = frame[[f"{KIND_COLUMNS[k]}_total" for k in KINDS]].sum(axis=1)
        for col in [*KIND_COLUMNS.values(), "engagements"]:
            frame[f"{col}_share"] = frame[col] / frame[f"{col}_total"].where(frame[f"{col}_total"] > 0)
        frame = frame.reset_index()
        frame["group"] = group
        frame["cluster"] = cluster
        frame["members"] = sizes.get(group)
        out.append(frame)
    result = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=COLUMNS)
    result["run_id"] = run_id
    result["target"] = result["target_id"].map(names)
    result["week"] = result["week"].replace("", None) if weekly else None
    result["peak"] = False
    if weekly and peaks and len(result):
        by = result.groupby(["target_id", "group"])
        period_share = by["engagements"].transform("sum") / by["engagements_total"].transform("sum")
        ranked = by["engagements_share"].rank(method="first", ascending=False)
        result["peak"] = (ranked <= peaks) & (result["engagements_share"] > period_share)
    order = {tid: i for i, tid in enumerate(target_ids)}
    group_order = {g: i for i, (g, _) in enumerate(groups)}
    result = result.sort_values(
        by=["target_id", "group", "week"],
        key=lambda s: s.map(order) if s.name == "target_id" else s.map(group_order) if s.name == "group" else s.fillna(""),
    ).reset_index(drop=True)
    return result[COLUMNS]


def peak_weeks(weekly_impact: pd.DataFrame) -> pd.DataFrame:
    """The rows of a weekly :func:`impact` frame marked as peak weeks, highest share first."""
    peaks = weekly_impact[weekly_impact["peak"]]
    return peaks.sort_values(["target_id", "group", "engagements_share"], ascending=[True, True, False]).reset_index(drop=True)


def impact_of_accounts(driver: Driver, account_ids: Iterable[str], target: str | None = None, weekly: bool = False,
                       database: str | None = None) -> pd.DataFrame:
    """Share of each target's engagement written by an arbitrary set of accounts (e.g. a ground-truth network)."""
    return impact(driver, target=target, weekly=weekly, account_ids=account_ids, database=database)
