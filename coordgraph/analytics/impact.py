"""Impact: the share of each target's engagement (retweets, replies, quotes) written by flagged accounts.

For every target (``:Target``) the engagements are the retweets, replies and quotes of the target's own posts
by other accounts. Each flagged cluster of a run (``Cluster.coordinated``), all flagged accounts together, or
an arbitrary set of account ids is compared with that total, over the whole period or per Monday-based UTC week.

Uncertainty. Each share has a 95 % percentile bootstrap interval over the target's *posts*: the posts of the
row (its target, and its week for weekly rows) are drawn with replacement ``n_boot`` times and the share
recomputed from the drawn posts' engagements (:func:`bootstrap_shares`). Posts, not weeks, are the unit:
engagements are not independent (a network piles onto the posts it pushes, a viral post brings a crowd), but
posts are the unit they cluster on, so resampling whole posts keeps that dependence; there are hundreds to
thousands of posts against a dozen to fifty weeks, too few for a stable interval, and a weekly row could not be
resampled by weeks at all. A share computed from a few posts gets a wide interval, as it should.
Sensitivity: ``<kind>_share_confident`` is the share written by the members whose own p-value (the member test
of the cluster, or the combined p of the membership test for attached accounts) is at most ``confident_p``
(default 0.001, fifty times stricter than the 5 % at which members are flagged): the share without the least
certain members. It is empty for an account set, which has no p-values.
Membership: the interval describes the flagged accounts' share, not which accounts are members. A coordinated
cluster holds back the accounts of its community it could not confirm (too few moments, not in step on most of
them, an effect under the floor: ``unconfirmed_members`` of the cluster's signals) unless the membership test
attached them. ``unconfirmed`` counts them per row (those not flagged anywhere in the run);
``<kind>_share_with_unconfirmed`` is the share if they were counted too, and ``<kind>_share_with_unconfirmed_high``
its 95 % upper bound (the same bootstrap draws). ``[<kind>_share_low, <kind>_share_with_unconfirmed_high]`` is the
range the run's evidence leaves open: from the flagged set's lower bound to the upper bound with every account
the detector grouped with the network but did not confirm. Only the point share is a finding: the held-back
accounts are not accused, they widen the range. Empty (NaN) for an account set.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
import pandas as pd
from neo4j import Driver

from .. import db
from ..errors import CoordgraphError
from ..timerange import TimeRange

KINDS = ("retweet", "reply", "quote")
# Column prefix per engagement kind, plus the sum of the three.
KIND_COLUMNS = {"retweet": "retweets", "reply": "replies", "quote": "quotes"}
ALL_FLAGGED = "all flagged"
ACCOUNT_SET = "accounts"

BASE_COLUMNS = [
    "run_id", "target_id", "target", "group", "cluster", "members", "unconfirmed", "week",
    "retweets", "retweets_total", "retweets_share",
    "replies", "replies_total", "replies_share",
    "quotes", "quotes_total", "quotes_share",
    "engagements", "engagements_total", "engagements_share",
    "peak", "since", "until",
]
SHARE_KINDS = ("retweets", "replies", "quotes", "engagements")
# the 95 % bootstrap interval of each share, the share without the least certain members, and the share (with its
# upper bound) with the accounts the run's coordinated clusters held back as unconfirmed
SHARE_PARTS = ("low", "high", "confident", "with_unconfirmed", "with_unconfirmed_high")
COLUMNS = [*BASE_COLUMNS, *(f"{kind}_share_{part}" for kind in SHARE_KINDS for part in SHARE_PARTS)]
CONFIDENT_P = 0.001
N_BOOT = 2000


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
    n_boot: int = N_BOOT,
    confident_p: float = CONFIDENT_P,
    seed: int = 0,
    time_range: TimeRange = TimeRange(),
) -> pd.DataFrame:
    """Share of each target's retweets, replies and quotes written by flagged clusters (or ``account_ids``).

    With ``account_ids`` the one group is that set of accounts (no run is needed; ``run_id`` is ignored);
    otherwise one row group per flagged cluster of run ``run_id`` (an existing id, see
    :func:`coordgraph.runs.resolve`) plus ``"all flagged"``.
    Rows: one per target x group (x week when ``weekly``; weeks are Monday-based, UTC, ISO dates), columns
    :data:`COLUMNS`; ``<kind>`` counts the group's engagements, ``<kind>_total`` all engagements, ``<kind>_share``
    their ratio (0..1; NaN when the total is 0). ``peak`` marks, per target and group, the (at most ``peaks``)
    weeks with the highest engagement share among those above the group's whole-period share (always False for
    whole-period rows). ``<kind>_share_low``/``_high``: the 95 % bootstrap interval over the row's posts
    (``n_boot`` draws, ``seed``); ``<kind>_share_confident``: the share of members with p <= ``confident_p``
    (see the module doc). Only engagements made inside ``time_range`` count, on target posts not known to be
    created outside it; ``since``/``until`` name that range (ISO UTC; empty for an open end). The caller picks the
    range (a run's own range by default, see :func:`coordgraph.timerange.for_run`).
    """
    if account_ids is None and run_id is None:
        raise ValueError("impact() needs a run id or account_ids")
    targets = resolve_targets(driver, target, database)
    target_ids = [t["target_id"] for t in targets]
    names = {t["target_id"]: t["username"] for t in targets}

    if account_ids is not None:
        ids = sorted(set(account_ids))
        rows = db.read(driver, "reports/engagement_by_accounts", database=database,
                       target_ids=target_ids, account_ids=ids, weekly=weekly,
                       since_ms=time_range.since_ms, until_ms=time_range.until_ms)
        counts = pd.DataFrame(rows, columns=["target_id", "kind", "week", "in_set", "post", "n"])
        counts["group"] = counts["in_set"].map({True: ACCOUNT_SET, False: None})
        counts["confident"] = None
        counts["cluster"] = None
        counts["held"] = None
        sizes = {ACCOUNT_SET: len(ids)}
        held_sizes: dict[str, int | None] = {ACCOUNT_SET: None}
        groups = [(ACCOUNT_SET, None)]
        run_id = None
    else:
        clusters = [c for c in db.read(driver, "reports/clusters", database=database, run_id=run_id) if c["coordinated"]]
        held = unconfirmed_accounts(driver, run_id, clusters, database)
        rows = db.read(driver, "reports/engagement_by_cluster", database=database,
                       target_ids=target_ids, run_id=run_id, weekly=weekly, confident_p=float(confident_p),
                       since_ms=time_range.since_ms, until_ms=time_range.until_ms, unconfirmed=held)
        counts = pd.DataFrame(rows, columns=["target_id", "kind", "week", "cluster", "coordinated", "post", "confident",
                                             "held", "n"])
        flagged = {c["number"] for c in clusters}
        counts["group"] = [f"cluster {int(c)}" if pd.notna(c) and int(c) in flagged else None for c in counts["cluster"]]
        sizes = {f"cluster {c['number']}": c["size"] for c in clusters}
        sizes[ALL_FLAGGED] = sum(c["size"] or 0 for c in clusters)
        held_sizes = {f"cluster {c['number']}": sum(1 for n in held.values() if n == c["number"]) for c in clusters}
        held_sizes[ALL_FLAGGED] = len(held)
        groups = [(f"cluster {c['number']}", c["number"]) for c in clusters] + [(ALL_FLAGGED, None)]
        flagged_rows = counts[counts["group"].notna()].copy()
        flagged_rows["group"] = ALL_FLAGGED
        counts = pd.concat([counts, flagged_rows], ignore_index=True)

    result = _shares(counts, groups, sizes, held_sizes, target_ids, names, run_id, weekly, peaks)
    bounds = time_range.as_record()
    result["since"], result["until"] = bounds["since"], bounds["until"]
    return _uncertainty(result, counts, weekly, n_boot, np.random.default_rng(seed), account_ids is None)


def unconfirmed_accounts(driver: Driver, run_id: str, clusters: list[dict], database: str | None = None) -> dict[str, int]:
    """Accounts the run's coordinated ``clusters`` (rows of ``reports/clusters``) held back as unconfirmed members
    and did not flag elsewhere, each with its cluster's number."""
    held: dict[str, int] = {}
    for cluster in clusters:
        signals = cluster.get("signals")
        signals = json.loads(signals) if isinstance(signals, str) else (signals or {})
        for account in signals.get("unconfirmed_members") or []:
            held.setdefault(str(account), int(cluster["number"]))
    if not held:
        return {}
    rows = db.read(driver, "reports/unconfirmed", database=database, run_id=run_id, unconfirmed=held)
    return {r["account_id"]: int(r["number"]) for r in rows}


def bootstrap_shares(group: np.ndarray, total: np.ndarray, n_boot: int, rng: np.random.Generator,
                     level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of ``sum(group) / sum(total)`` resampling the columns (posts).

    ``group``: ``(m, n_posts)`` engagement counts of ``m`` groups or kinds on each post; ``total``: the same
    shape, all engagements. The same ``n_boot`` multinomial draws of posts serve every row, so intervals of one
    target and week are computed together. Returns ``(low, high)`` per row; NaN where the total is 0.
    """
    group, total = np.atleast_2d(np.asarray(group, dtype=float)), np.atleast_2d(np.asarray(total, dtype=float))
    m, n_posts = group.shape
    if n_posts == 0 or n_boot <= 0:
        return np.full(m, np.nan), np.full(m, np.nan)
    weights = rng.multinomial(n_posts, np.full(n_posts, 1.0 / n_posts), size=n_boot).astype(float)
    drawn_total = weights @ total.T
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = (weights @ group.T) / np.where(drawn_total > 0, drawn_total, np.nan)
    tail = (1.0 - level) / 2.0
    low, high = np.full(m, np.nan), np.full(m, np.nan)
    some = np.isfinite(shares).any(axis=0) & (total.sum(axis=1) > 0)
    if some.any():
        low[some] = np.nanquantile(shares[:, some], tail, axis=0)
        high[some] = np.nanquantile(shares[:, some], 1.0 - tail, axis=0)
    return low, high


def _uncertainty(result: pd.DataFrame, counts: pd.DataFrame, weekly: bool, n_boot: int, rng: np.random.Generator,
                 with_confidence: bool) -> pd.DataFrame:
    """Add each row's bootstrap interval and confident share (see the module doc)."""
    result = result.copy()
    for kind in SHARE_KINDS:
        for part in SHARE_PARTS:
            result[f"{kind}_share_{part}"] = np.nan
    if result.empty:
        return result[COLUMNS]
    counts = counts.copy()
    counts["week"] = counts["week"].where(counts["week"].notna(), "") if weekly else ""
    counts = counts[counts["week"] != ""] if weekly else counts
    base = counts[counts["group"] != ALL_FLAGGED]  # every engagement once
    kinds = {"retweets": ["retweet"], "replies": ["reply"], "quotes": ["quote"], "engagements": list(KINDS)}
    row_week = result["week"].fillna("") if weekly else pd.Series("", index=result.index)
    # targets, weeks and posts in id order, not the store's: the draws go to the posts in this order
    for (target_id, week), cell in base.groupby(["target_id", "week"], sort=True):
        posts = pd.Index(sorted(cell["post"].unique()))
        rows = result.index[(result["target_id"] == target_id) & (row_week == week)]
        if rows.empty or posts.empty:
            continue
        here = counts[(counts["target_id"] == target_id) & (counts["week"] == week)]

        def per_post(frame: pd.DataFrame, kind_list: list[str]) -> np.ndarray:
            picked = frame[frame["kind"].isin(kind_list)]
            return picked.groupby("post")["n"].sum().reindex(posts, fill_value=0).to_numpy(dtype=float)

        held = here[here["group"].isna() & here["held"].notna()]
        groups, totals, index = [], [], []
        for r in rows:
            mine = here[here["group"] == result.at[r, "group"]]
            cluster = result.at[r, "cluster"]
            widened = pd.concat([mine, held if pd.isna(cluster) else held[held["held"] == cluster]])
            for kind, kind_list in kinds.items():
                everyone = per_post(cell, kind_list)
                groups.append(per_post(mine, kind_list))
                totals.append(everyone)
                index.append((r, kind, "flagged"))
                if with_confidence:
                    total = result.at[r, f"{kind}_total"]
                    sure = mine[mine["confident"].fillna(False).astype(bool) & mine["kind"].isin(kind_list)]["n"].sum()
                    result.at[r, f"{kind}_share_confident"] = sure / total if total > 0 else np.nan
                    with_held = per_post(widened, kind_list)
                    result.at[r, f"{kind}_share_with_unconfirmed"] = with_held.sum() / total if total > 0 else np.nan
                    groups.append(with_held)
                    totals.append(everyone)
                    index.append((r, kind, "with_unconfirmed"))
        low, high = bootstrap_shares(np.vstack(groups), np.vstack(totals), n_boot, rng)
        for (r, kind, part), lo, hi in zip(index, low, high):
            if part == "flagged":
                result.at[r, f"{kind}_share_low"] = lo
                result.at[r, f"{kind}_share_high"] = hi
            else:
                result.at[r, f"{kind}_share_with_unconfirmed_high"] = hi
    return result[COLUMNS]


def _shares(counts, groups, sizes, held_sizes, target_ids, names, run_id, weekly, peaks) -> pd.DataFrame:
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
        frame["unconfirmed"] = held_sizes.get(group)
        out.append(frame)
    result = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=BASE_COLUMNS)
    result["run_id"] = run_id
    result["target"] = result["target_id"].map(names)
    result["week"] = result["week"].replace("", None) if weekly else None
    result["peak"] = False
    result["since"] = result["until"] = None
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
    return result[BASE_COLUMNS]


def peak_weeks(weekly_impact: pd.DataFrame) -> pd.DataFrame:
    """The rows of a weekly :func:`impact` frame marked as peak weeks, highest share first."""
    peaks = weekly_impact[weekly_impact["peak"]]
    return peaks.sort_values(["target_id", "group", "engagements_share"], ascending=[True, True, False]).reset_index(drop=True)


def impact_of_accounts(driver: Driver, account_ids: Iterable[str], target: str | None = None, weekly: bool = False,
                       database: str | None = None) -> pd.DataFrame:
    """Share of each target's engagement written by an arbitrary set of accounts (e.g. a ground-truth network)."""
    return impact(driver, target=target, weekly=weekly, account_ids=account_ids, database=database)
