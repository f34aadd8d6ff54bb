"""One analysis run: signals -> evidence edges -> fused graph -> GDS communities -> benchmark test -> dossiers.

``detect(driver, params)`` writes ``(:Run)-[:FOUND]->(:Cluster)``, ``MEMBER_OF`` (score + evidence JSON) and
``COORDINATED`` evidence edges, all keyed by the run id so runs never mix, and returns the same results as
DataFrames. This module only orchestrates: the signals are in :mod:`.signals` (registry ``SIGNALS``), fusion and
calibration in :mod:`.fusion`, the cluster test in :mod:`.cluster_testing`, the run record in
:mod:`coordgraph.runs`. See the README section "Detection" for the definitions and defaults.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd
from neo4j import Driver

from .. import db, runs
from ..timerange import TimeRange, parse_range
from . import cluster_effect, cluster_testing, communities, fastwindow, fusion, membership, preflight, sparse_groups
from .signals import SIGNALS, SignalInputs, SignalResult
from .signals.spec import HelperProcess

# Every signal of the registry, in computing order (co-action signals first; see .signals).
ALL_SIGNALS: tuple[str, ...] = tuple(SIGNALS)

Progress = Callable[[str, float], None]
# Signals computed at once: two keep the server and this process busy together on a 2-core machine.
SIGNAL_WORKERS = 2
# The signals that took longest on ~1M events (docs/benchmarks.md), started first so the workers finish together;
# the two text signals share one read of the texts (SignalInputs.engaging_texts), so they start apart.
LONGEST_FIRST: tuple[str, ...] = ("near_duplicate", "rhythm", "co_retweet", "language", "dormancy", "co_tweet")


@dataclass
class DetectParams:
    """Parameters of one run (all recorded on the Run node).

    ``window_s``/``min_repeat``: co-action window (inclusive) and minimum distinct shared objects per pair,
    60 s and 2 as in the reference study and the peers. ``signals``: which signals to compute (default all).
    ``algorithm``: leiden | louvain | wcc. ``alpha``: false-discovery rate for clusters and members.
    ``n_null``: Monte-Carlo draws of the benchmark null for the cluster test; ``n_null_pairs``: permuted copies
    of the data used to derive the edge threshold. ``min_cluster_size``: smaller communities are not
    tested. ``weight_quantile``: a signal's edge weight is its raw strength over this quantile of its
    strengths (capped at 1), so no one signal dominates the fused graph by its scale. ``membership``: test the
    other accounts engaging the targets for membership of the coordinated clusters (module ``membership``).
    ``fast_window_s``: the narrower nested window whose co-actions are flagged on edges and members (module
    ``fastwindow``; 0 turns it off). ``since``/``until``: ISO dates or times bounding the actions the co-action
    signals, rapid follow-on and the benchmark use (module ``timerange``; both inclusive, a date is its whole
    day); the parsed range is recorded on the run as ``time_range``.
    ``min_effect``: the floor on the lower 95 % bound of a cluster's (and a member's) effect, observed over
    expected co-actions under the cluster null (module ``cluster_effect``). ``min_in_step``: the floor on the
    lower 95 % bound of a member's in-step share (the share of its moments on the cluster's shared objects at
    which another member acted within the window) for the member to be confirmed. ``sparse_groups``: also test
    the groups the group route proposes from the unthresholded co-action graph (module ``sparse_groups``: large
    networks whose members rarely meet twice), under the same cluster test and member rules. ``null_screen``:
    stop a cluster's null draws after a first block when it cannot pass the gates (module ``null_screen``; the
    decisions are those of the full draws but for an error of about 1e-9 per bound). ``wide_window_s``:
    the wider window at which the in-step share of a strong member not in step within W is read a second time,
    in a cluster that passes every gate at W (module ``multiscale``, which suggests 300 s; off when it is not wider
    than W: the default, 0). ``corroborated``: also confirm the groups whose timing excess is significant with
    a lower bound of at least 1.5 but under ``min_effect`` when identity traces (creation bursts, profile
    templates, near-duplicate text) link a majority of their members far beyond equally sized groups of the
    targets' other engagers (module ``corroborated``).
    """

    window_s: float = 60
    min_repeat: int = 2
    signals: tuple[str, ...] | None = None
    algorithm: str = "leiden"
    seed: int = 42
    resolution: float = 1.0
    alpha: float = 0.05
    n_null: int = 2000
    n_null_pairs: int = 3
    min_cluster_size: int = 2
    near_duplicate_threshold: float = 0.8
    weight_quantile: float = 0.95
    max_posts: int = 50
    membership: bool = True
    fast_window_s: float = fastwindow.DEFAULT_FAST_WINDOW_S
    since: str | None = None
    until: str | None = None
    min_effect: float = cluster_effect.MIN_EFFECT
    min_in_step: float = cluster_effect.MIN_IN_STEP
    sparse_groups: bool = True
    null_screen: bool = True
    corroborated: bool = True
    wide_window_s: float = 0.0  # off by default: on the holdout suite it admitted a fan community (docs/benchmarks.md)

    def selected(self) -> tuple[str, ...]:
        """The signals this run computes, validated."""
        chosen = tuple(self.signals) if self.signals else ALL_SIGNALS
        unknown = [s for s in chosen if s not in ALL_SIGNALS]
        if unknown:
            raise ValueError(f"unknown signal(s) {', '.join(unknown)}; known: {', '.join(ALL_SIGNALS)}")
        if self.fast_window_s > self.window_s:
            raise ValueError(f"the fast window ({self.fast_window_s:g} s) is wider than the window ({self.window_s:g} s)")
        if self.algorithm not in communities.ALGORITHMS:
            raise ValueError(f"unknown algorithm {self.algorithm!r}; use one of {', '.join(communities.ALGORITHMS)}")
        return chosen

    def time_range(self) -> TimeRange:
        """``since``/``until`` as epoch-ms bounds (unbounded when neither is given)."""
        return parse_range(self.since, self.until)


@dataclass
class DetectionResult:
    """What a run found: ``clusters`` (one row per cluster), ``accounts`` (one row per member), ``edges``
    (evidence edges), plus each signal's raw result."""

    run_id: str
    params: DetectParams
    clusters: pd.DataFrame
    accounts: pd.DataFrame
    edges: pd.DataFrame
    signals: dict[str, SignalResult] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"stage", "reason"}: what the data could not support

    @property
    def flagged_accounts(self) -> list[str]:
        """Accounts in clusters reported as coordinated."""
        if self.accounts.empty:
            return []
        return sorted(self.accounts.loc[self.accounts["coordinated"], "account_id"])


def detect(driver: Driver, params: DetectParams | dict | None = None, progress: Progress | None = None, database: str | None = None) -> DetectionResult:
    """Run detection on everything in the graph and store it as a new run (see module doc)."""
    if isinstance(params, dict):
        params = DetectParams(**params)
    params = params or DetectParams()
    chosen = params.selected()
    report = progress or (lambda stage, fraction: None)
    db.ensure_schema(driver, database=database)
    skipped = preflight.plan_skips(preflight.read_state(driver, database), chosen, params.membership)  # may refuse
    skipped_names = {s["stage"] for s in skipped}
    record = {**asdict(params), "signals": list(chosen), "time_range": params.time_range().as_record()}
    run_id = runs.create(driver, json.dumps(record), database)
    try:
        db.write(driver, "detect/record_skipped", database=database, run_id=run_id, skipped=json.dumps(skipped))
        inputs = SignalInputs(driver, params, database)
        results = _compute_signals(inputs, chosen, report, skipped_names)
        report("calibrating edges against the null", 0.5)
        rng = np.random.default_rng(params.seed)
        events = [inputs.null_events[name] for name in inputs.events if name in inputs.null_events]
        inputs.events.clear()
        inputs.null_events.clear()
        calibration = fusion.calibrate(results, events, params.min_repeat, params.alpha, params.n_null_pairs, rng)
        edges = fusion.fuse(results, params.weight_quantile, params.max_posts)
        report("writing evidence edges", 0.55)
        for _ in db.write_batches(driver, "detect/write_edges", fusion.edge_rows(edges), database=database, run_id=run_id):
            pass
        report(f"{params.algorithm} communities", 0.6)
        groups = communities.find_communities(driver, run_id, params.algorithm, params.seed, params.resolution, database)
        sparse, route_pairs = pd.DataFrame(columns=["account_id", "community"]), None
        if params.sparse_groups:
            report("group route: communities of the unthresholded co-action graph", 0.62)
            held = sparse_groups.held_by_edge_route(groups, params.min_cluster_size)
            sparse, route_pairs = sparse_groups.find_sparse_groups(driver, run_id, events, held, params.seed, params.resolution,
                                                                   database=database)
        groups = sparse_groups.combine_routes(groups, sparse)
        report("benchmark null", 0.65)
        candidates = pd.concat([c["candidate_pairs"] for c in calibration.values()], ignore_index=True) if calibration else None
        with_membership = params.membership and preflight.MEMBERSHIP_STAGE not in skipped_names
        pool = list(membership.benchmark_pool(driver, database)["account_id"]) if with_membership else []
        cluster_rows, account_rows = cluster_testing.assess_clusters(
            groups, results, edges, events, fusion.null_groups(calibration), candidates, pool, params, rng, report, route_pairs
        )
        if params.fast_window_s > 0:
            fastwindow.annotate_clusters(cluster_rows, account_rows, edges, params.fast_window_s)
        for cal in calibration.values():
            cal.pop("null_edges", None)
            cal.pop("candidate_pairs", None)
        report("writing clusters", 0.95)
        clusters, accounts = _frames(cluster_rows, account_rows)
        _store(driver, run_id, clusters, accounts, database)
        summary = json.dumps(
            {"clusters": int(len(clusters)), "coordinated": int(clusters["coordinated"].sum()) if len(clusters) else 0,
             "flagged_accounts": int(accounts["coordinated"].sum()) if len(accounts) else 0, "edges": int(len(edges)),
             "calibration": calibration}
        )
        runs.finish(driver, run_id, "completed", summary, database)
    except BaseException:
        runs.finish(driver, run_id, "failed", None, database)
        raise
    report("done", 1.0)
    return DetectionResult(run_id, params, clusters, accounts, edges, results, skipped)


def _compute_signals(inputs: SignalInputs, chosen: tuple[str, ...], report: Progress, skipped: set[str] = frozenset()) -> dict[str, SignalResult]:
    """Every chosen signal's result: the co-action and standalone signals :data:`SIGNAL_WORKERS` at a time (while
    one waits for the server, another computes), those that usually take longest first (:data:`LONGEST_FIRST`;
    the progress moves as each finishes; the text signals' own work runs in a helper process, ``HelperProcess``),
    then the signals that read the co-action events (rapid follow-on); a skipped signal's result is empty. The
    results are in the registry's order (co-action signals first) whichever way they were computed."""
    order = sorted(chosen, key=lambda n: not SIGNALS[n].coaction)
    results = {name: SignalResult(name=name, params={"skipped": True}) for name in order if name in skipped}
    together = sorted((n for n in order if n not in skipped and (SIGNALS[n].coaction or SIGNALS[n].standalone)),
                      key=lambda n: LONGEST_FIRST.index(n) if n in LONGEST_FIRST else len(LONGEST_FIRST))
    after = [n for n in order if n not in skipped and n not in together]
    if together:
        stage = f"signals: {len(together)}, {SIGNAL_WORKERS} at a time"
        report(stage, 0.0)
        inputs.helper = HelperProcess()
        try:
            with ThreadPoolExecutor(max_workers=SIGNAL_WORKERS) as pool:
                running = {pool.submit(_compute_signal, inputs, name): name for name in together}
                for future in as_completed(running):
                    results[running[future]] = future.result()
                    report(stage, 0.5 * len(results) / len(order))
        finally:
            inputs.helper.close()
            inputs.helper = None
        # the null consumes one random stream signal after signal: always in the registry's order
        inputs.events = {name: inputs.events[name] for name in order if name in inputs.events}
    for name in after:
        report(f"signal {name}", 0.5 * len(results) / len(order))
        results[name] = _compute_signal(inputs, name)
    return {name: results[name] for name in order}


def _compute_signal(inputs: SignalInputs, name: str) -> SignalResult:
    """One signal's result. A co-action signal's pairs get their fast-window counts, and its events are prepared
    for the time-shuffled null here, beside the other signals (:attr:`SignalInputs.null_events`)."""
    result = SIGNALS[name].compute(inputs)
    if SIGNALS[name].coaction:
        frame = inputs.events[name]
        if inputs.params.fast_window_s > 0:
            result.pairs["fast_count"] = fastwindow.fast_counts(result.pairs, frame, inputs.params.fast_window_s)
        if len(frame):
            inputs.null_events[name] = fusion.null_event(name, frame, inputs.params.window_s)
    return result


CLUSTER_COLUMNS = ["number", "size", "score", "p_value", "q_value", "coordinated", "reason", "observed", "expected",
                   "effect", "effect_low", "effect_high", "strongest_signals", "signals"]
ACCOUNT_COLUMNS = ["account_id", "number", "coordinated", "score", "p_value", "q_value", "observed", "expected", "effect",
                   "effect_low", "effect_high", "flagged", "attached", "evidence"]
EFFECT_COLUMNS = ["effect", "effect_low", "effect_high"]


def _frames(cluster_rows: list[dict[str, Any]], account_rows: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cluster test's rows as the stored (and returned) frames: ``signals`` and ``evidence`` become JSON here, once."""
    clusters = pd.DataFrame([{**r, "signals": json.dumps(r["signals"])} for r in cluster_rows], columns=CLUSTER_COLUMNS)
    accounts = pd.DataFrame([{**r, "evidence": json.dumps(r["evidence"], default=str)} for r in account_rows],
                            columns=ACCOUNT_COLUMNS)
    return clusters, accounts


def _store(driver, run_id: str, clusters: pd.DataFrame, accounts: pd.DataFrame, database) -> None:
    """Write the run's clusters and memberships."""
    cluster_rows = clusters.drop(columns=["strongest_signals", "observed", "expected"]).to_dict("records")
    for row in cluster_rows:
        row.update({k: cluster_effect.finite_or_none(row[k]) for k in EFFECT_COLUMNS})
    for _ in db.write_batches(driver, "detect/write_clusters", cluster_rows, database=database, run_id=run_id):
        pass
    member_rows = accounts[["account_id", "number", "score", "p_value", *EFFECT_COLUMNS, "flagged", "evidence"]].to_dict("records")
    for row in member_rows:
        row.update({k: cluster_effect.finite_or_none(row[k]) for k in EFFECT_COLUMNS})
    for _ in db.write_batches(driver, "detect/write_members", member_rows, database=database, run_id=run_id):
        pass
