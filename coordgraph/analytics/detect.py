"""One analysis run: signals -> evidence edges -> fused graph -> GDS communities -> benchmark test -> dossiers.

``detect(driver, params)`` writes ``(:Run)-[:FOUND]->(:Cluster)``, ``MEMBER_OF`` (score + evidence JSON) and
``COORDINATED`` evidence edges, all keyed by the run id so runs never mix, and returns the same results as
DataFrames. See the README section "Detection" for the definitions and defaults.
"""

from __future__ import annotations

import importlib
import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

import numpy as np
import pandas as pd
from neo4j import Driver

from .. import __version__, db
from . import cluster_effect, coaction, communities, evidence, membership, statistics, textsim
from .signal import SignalResult

# Co-action signals: calibrated against the time-resampled null, they form the graph's skeleton and are the
# statistic of the cluster test.
COACTION = coaction.COACTION_SIGNALS
PRIMARY_SIGNALS: tuple[str, ...] = (*COACTION, coaction.RAPID_SIGNAL, textsim.SIGNAL)
# Every other signal (rapid follow-on, near-duplicate text and the account-level signals written by their own
# modules) corroborates: its pairs add weight only where a calibrated co-action edge already links the pair.
ACCOUNT_SIGNALS: dict[str, tuple[str, str]] = {
    "creation_burst": ("lifecycle", "creation_bursts"),
    "dormancy": ("lifecycle", "dormancy_activation"),
    "language": ("language", "language"),
    "rhythm": ("rhythm", "rhythm"),
    "profile": ("profile", "profile"),
    "exclusivity": ("exclusivity", "exclusivity"),
    "latency": ("latency", "latency"),
}
ALL_SIGNALS: tuple[str, ...] = (*PRIMARY_SIGNALS, *ACCOUNT_SIGNALS)

Progress = Callable[[str, float], None]


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
    ``min_effect``: the floor on the lower 95 % bound of a cluster's (and a member's) effect, observed over
    expected co-actions under the cluster null (module ``cluster_effect``).
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
    min_effect: float = cluster_effect.MIN_EFFECT

    def selected(self) -> tuple[str, ...]:
        """The signals this run computes, validated."""
        chosen = tuple(self.signals) if self.signals else ALL_SIGNALS
        unknown = [s for s in chosen if s not in ALL_SIGNALS]
        if unknown:
            raise ValueError(f"unknown signal(s) {', '.join(unknown)}; known: {', '.join(ALL_SIGNALS)}")
        if self.algorithm not in communities.ALGORITHMS:
            raise ValueError(f"unknown algorithm {self.algorithm!r}; use one of {', '.join(communities.ALGORITHMS)}")
        return chosen


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
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    params_json = json.dumps({**asdict(params), "signals": list(chosen)})
    db.ensure_schema(driver, database=database)
    db.write(driver, "detect/create_run", database=database, run_id=run_id, version=__version__, params=params_json)
    try:
        exports: dict[str, pd.DataFrame] = {}
        results = _compute_signals(driver, params, chosen, report, database, exports)
        report("calibrating edges against the null", 0.5)
        rng = np.random.default_rng(params.seed)
        events = _null_events(exports, params)
        del exports
        calibration = _calibrate(results, events, params, rng)
        edges = _fuse(results, params)
        report("writing evidence edges", 0.55)
        for _ in db.write_batches(driver, "detect/write_edges", _edge_rows(edges), database=database, run_id=run_id):
            pass
        report(f"{params.algorithm} communities", 0.6)
        groups = communities.find_communities(driver, run_id, params.algorithm, params.seed, params.resolution, database)
        report("benchmark null", 0.65)
        candidates = pd.concat([c["candidate_pairs"] for c in calibration.values()], ignore_index=True) if calibration else None
        pool = list(membership.benchmark_pool(driver, database)["account_id"]) if params.membership else []
        clusters, accounts = _test_clusters(groups, results, edges, events, _null_groups(calibration), candidates, pool, params, rng,
                                            report)
        for cal in calibration.values():
            cal.pop("null_edges", None)
            cal.pop("candidate_pairs", None)
        report("writing clusters", 0.95)
        _store(driver, run_id, clusters, accounts, database)
        summary = json.dumps(
            {"clusters": int(len(clusters)), "coordinated": int(clusters["coordinated"].sum()) if len(clusters) else 0,
             "flagged_accounts": int(accounts["coordinated"].sum()) if len(accounts) else 0, "edges": int(len(edges)),
             "calibration": calibration}
        )
        db.write(driver, "detect/finish_run", database=database, run_id=run_id, status="completed", summary=summary)
    except BaseException:
        db.write(driver, "detect/finish_run", database=database, run_id=run_id, status="failed", summary=None)
        raise
    report("done", 1.0)
    return DetectionResult(run_id, params, clusters, accounts, edges, results)


def _compute_signals(driver, params: DetectParams, chosen, report: Progress, database, exports: dict[str, pd.DataFrame]
                     ) -> dict[str, SignalResult]:
    """Every chosen signal's result; each co-action signal's events are read once and kept in ``exports``."""
    results: dict[str, SignalResult] = {}
    # co-action signals first: rapid follow-on is computed from their exports
    for i, name in enumerate(sorted(chosen, key=lambda n: n not in COACTION)):
        report(f"signal {name}", 0.5 * i / max(len(chosen), 1))
        if name in COACTION:
            exports[name] = coaction.coaction_events(driver, name, database)
            results[name] = coaction.coaction_pairs(driver, name, params.window_s, params.min_repeat, params.max_posts, database,
                                                    events=exports[name])
        elif name == coaction.RAPID_SIGNAL:
            results[name] = coaction.rapid_follow_on(driver, params.window_s, params.min_repeat, params.max_posts, database,
                                                     exports=exports)
        elif name == textsim.SIGNAL:
            results[name] = textsim.near_duplicate(driver, params.near_duplicate_threshold, params.min_repeat, None, database)
        else:
            module_name, func_name = ACCOUNT_SIGNALS[name]
            try:
                module = importlib.import_module(f"{__package__}.{module_name}")
            except ModuleNotFoundError:
                continue  # that signal is not installed in this version
            result = getattr(module, func_name)(driver, database=database)
            result.name = name
            results[name] = result
    return results


def _fuse(results: dict[str, SignalResult], params: DetectParams) -> pd.DataFrame:
    """Evidence edges of every signal with comparable weights; account-level pairs only where a primary signal links."""
    parts = []
    for name, result in results.items():
        pairs = result.pairs
        if pairs is None or pairs.empty:
            continue
        frame = pairs[["a", "b", "weight", "count", "first_at", "last_at", "posts"]].copy()
        frame["expected"] = pairs["expected"].astype(float) if "expected" in pairs else np.nan
        frame["signal"] = name
        frame["raw_weight"] = frame["weight"].astype(float)
        ref = float(np.quantile(frame["raw_weight"], params.weight_quantile)) if len(frame) else 1.0
        frame["weight"] = np.clip(frame["raw_weight"] / (ref if ref > 0 else 1.0), 0.0, 1.0)
        frame["primary"] = name in COACTION
        parts.append(frame)
    if not parts:
        return pd.DataFrame(columns=["a", "b", "signal", "weight", "raw_weight", "count", "first_at", "last_at", "posts", "expected"])
    edges = pd.concat(parts, ignore_index=True)
    primary = edges[edges["signal"].isin(COACTION)]
    linked = {tuple(sorted(p)) for p in zip(primary["a"], primary["b"])}
    corroborating = np.fromiter((tuple(sorted(p)) in linked for p in zip(edges["a"], edges["b"])), dtype=bool, count=len(edges))
    keep = edges["primary"].to_numpy(dtype=bool) | corroborating
    edges = edges[keep].drop(columns=["primary"]).reset_index(drop=True)
    edges["count"] = edges["count"].fillna(0).astype(int)
    edges["posts"] = [[str(p) for p in (v if isinstance(v, (list, tuple, np.ndarray)) else [])][: params.max_posts] for v in edges["posts"]]
    edges["raw_weight"] = edges["raw_weight"].astype(float)
    edges["weight"] = edges["weight"].astype(float)
    return edges[["a", "b", "signal", "weight", "raw_weight", "count", "first_at", "last_at", "posts", "expected"]]


def _edge_rows(edges: pd.DataFrame) -> list[dict[str, Any]]:
    """Edges as plain dicts for the driver (ints stay ints; missing times are None)."""
    rows = []
    for e in edges.to_dict("records"):
        for col in ("first_at", "last_at"):
            v = e[col]
            e[col] = None if v is None or (isinstance(v, float) and np.isnan(v)) else int(v)
        e["count"] = int(e["count"])
        e.pop("expected", None)
        e["weight"], e["raw_weight"] = float(e["weight"]), float(e["raw_weight"])
        rows.append(e)
    return rows


def _null_events(exports: dict[str, pd.DataFrame], params: DetectParams) -> list[statistics.SignalEvents]:
    """The co-action events the signals were computed from, prepared for the time-shuffled null."""
    window_ms = int(round(params.window_s * 1000))
    return [statistics.SignalEvents.from_frame(name, frame, window_ms) for name, frame in exports.items() if len(frame)]


def _calibrate(results: dict[str, SignalResult], events, params: DetectParams, rng) -> dict[str, dict]:
    """Keep only the co-action pairs whose surprise passes the null-derived threshold (statistics module)."""
    out = {}
    for ev in events:
        result = results.get(ev.signal)
        if result is None:
            continue
        cal = cluster_effect.calibrate_pairs_shift(ev, params.min_repeat, params.alpha, params.n_null_pairs, rng)
        rate = cal.pop("rate")
        pairs = result.pairs
        if len(pairs):
            code = {a: i for i, a in enumerate(ev.accounts)}
            a = np.array([code[x] for x in pairs["a"]], dtype=np.int64)
            b = np.array([code[x] for x in pairs["b"]], dtype=np.int64)
            expected, p = statistics.pair_surprise(ev, a, b, pairs["count"].to_numpy(), rate=rate)
            pairs = pairs.assign(expected=expected, surprise_p=p)
            pairs = pairs[pairs["surprise_p"] <= cal["threshold"]].reset_index(drop=True)
        cal["candidate_pairs"] = result.pairs[["a", "b", "count", "posts"]].assign(signal=ev.signal)
        cal["edges_before"] = int(len(result.pairs))
        cal["edges_kept"] = int(len(pairs))
        result.params = {**result.params, "calibration": cal}
        result.pairs = pairs
        out[ev.signal] = cal
    return out


def _null_groups(calibration: dict[str, dict]) -> list[np.ndarray]:
    """Surprise of the groups that chance alone forms from passing edges, per null replicate (all co-action
    signals of a replicate together)."""
    replicates = [c["null_edges"] for c in calibration.values() if c.get("null_edges")]
    if not replicates:
        return []
    merged = [pd.concat(parts, ignore_index=True) for parts in zip(*replicates)]
    return statistics.null_component_surprises(merged)


def _group_surprise(edges: pd.DataFrame, members: set[str]) -> tuple[int, float, float]:
    inside = edges[edges["signal"].isin(COACTION) & edges["a"].isin(members) & edges["b"].isin(members)]
    total, exp = int(inside["count"].sum()), float(inside["expected"].fillna(0).sum())
    return total, exp, statistics.cluster_surprise(total, exp)


def _test_clusters(groups: pd.DataFrame, results, edges, events, null_groups, candidate_pairs, pool: list[str],
                   params: DetectParams, rng, report: Progress):
    sizes = groups.groupby("community")["account_id"].count() if len(groups) else pd.Series(dtype=int)
    candidates = [c for c, n in sizes.sort_values(ascending=False).items() if n >= params.min_cluster_size]
    surprise = [
        _group_surprise(edges, set(groups.loc[groups["community"] == c, "account_id"]))[2] for c in candidates
    ]
    beyond_chance = statistics.empirical_fdr_pass(np.asarray(surprise), null_groups, params.alpha)
    tests = []
    for i, community in enumerate(candidates):
        report("benchmark null", 0.65 + 0.3 * i / max(len(candidates), 1))
        members = sorted(groups.loc[groups["community"] == community, "account_id"])
        tests.append((members, cluster_effect.cluster_effect_test(events, members, params.n_null, rng), bool(beyond_chance[i]),
                      surprise[i]))
    q_values = statistics.bh_q_values([t[1].p_value for t in tests])
    cluster_rows, cluster_accounts = [], []
    # accounts of every cluster that passes are never candidates for membership of another one
    claimed: set[str] = {
        m for i, (members, test, passes, _) in enumerate(tests)
        if q_values[i] <= params.alpha and passes and test.effect_low >= params.min_effect for m in members
    }
    order = sorted(range(len(tests)), key=lambda i: (not tests[i][2], tests[i][1].p_value, tests[i][3]))
    for number, idx in enumerate(order, start=1):
        members, test, passes_chance, group_surprise = tests[idx]
        q = float(q_values[idx])
        # significant (q) and large (the effect's lower bound clears the floor), and beyond chance groups
        coordinated = bool(q <= params.alpha and passes_chance and test.effect_low >= params.min_effect)
        acc = test.accounts.copy()
        acc["q_value"] = statistics.bh_q_values(acc["p_value"].to_numpy()) if len(acc) else []
        # each confirmed member: significant, large, and repeated (co-actions at min_repeat distinct moments)
        acc["confirmed"] = ((acc["q_value"] <= params.alpha) & (acc["effect_low"] >= params.min_effect)
                            & (acc["moments"] >= params.min_repeat))
        if coordinated and int(acc["confirmed"].sum()) < 2:
            coordinated = False  # synchrony carried by one account is not coordination
        unconfirmed = sorted(acc.loc[~acc["confirmed"], "account_id"]) if coordinated else []
        if coordinated:
            acc = acc[acc["confirmed"]]
        strongest = evidence.strongest_signals(edges, set(acc["account_id"]))
        score = (test.total_observed + 1.0) / (test.total_expected + 1.0)
        cluster_rows.append(
            {
                "number": number,
                "size": int(len(acc)),
                "score": float(score),
                "p_value": float(test.p_value),
                "q_value": q,
                "coordinated": coordinated,
                "observed": test.total_observed,
                "expected": test.total_expected,
                "effect": test.effect,
                "effect_low": test.effect_low,
                "effect_high": test.effect_high,
                "strongest_signals": [s for s, _ in strongest[:3]],
                "signals": json.dumps(
                    {
                        "observed": test.observed,
                        "expected": {k: round(v, 3) for k, v in test.expected.items()},
                        "p_values": test.p_values,
                        "q_values": {},
                        "edges_by_signal": dict(strongest),
                        "unconfirmed_members": unconfirmed,
                        "group_surprise": group_surprise,
                        "beyond_chance_groups": passes_chance,
                        "null": {"kind": "post-conditioned latency (own delays within the post's hour and size stratum); "
                                         "timeline shift on objects without a post time whose audience is mostly the group",
                                 "draws": params.n_null, "window_s": params.window_s,
                                 "own_audience_objects": test.own_audience_objects, "min_effect": params.min_effect},
                    }
                ),
            }
        )
        cluster_accounts.append(acc.assign(attached=False, membership=None))
    if params.membership:
        _attach(events, results, cluster_rows, cluster_accounts, claimed, pool, params)
    account_rows = []
    for cluster, acc in zip(cluster_rows, cluster_accounts):
        number, coordinated = cluster["number"], cluster["coordinated"]
        for row in acc.to_dict("records"):
            dossier = evidence.dossier(row, edges, set(acc["account_id"]), results, params)
            if row["attached"]:
                dossier["membership"] = row["membership"]
                dossier["attachment"] = evidence.attachment_links(row["account_id"], candidate_pairs, set(acc["account_id"]))
            account_rows.append(
                {
                    "account_id": row["account_id"],
                    "number": number,
                    "coordinated": coordinated,
                    "score": float(-np.log10(max(row["p_value"], 1e-300))),
                    "p_value": float(row["p_value"]),
                    "q_value": float(row["q_value"]),
                    "observed": int(row["observed"]),
                    "expected": float(row["expected"]),
                    **{k: _optional_float(row.get(k)) for k in ("effect", "effect_low", "effect_high")},
                    "flagged": coordinated,
                    "attached": bool(row["attached"]),
                    "evidence": json.dumps(dossier, default=str),
                }
            )
    _add_signal_q_values(cluster_rows)
    # an account attached to a coordinated cluster leaves any cluster that was not confirmed
    coordinated_numbers = {r["number"] for r in cluster_rows if r["coordinated"]}
    in_coordinated = {r["account_id"] for r in account_rows if r["number"] in coordinated_numbers}
    account_rows = [r for r in account_rows if r["number"] in coordinated_numbers or r["account_id"] not in in_coordinated]
    for r in cluster_rows:
        r["size"] = sum(1 for a in account_rows if a["number"] == r["number"])
    clusters = pd.DataFrame(
        cluster_rows,
        columns=["number", "size", "score", "p_value", "q_value", "coordinated", "observed", "expected", "effect", "effect_low",
                 "effect_high", "strongest_signals", "signals"],
    )
    accounts = pd.DataFrame(
        account_rows,
        columns=["account_id", "number", "coordinated", "score", "p_value", "q_value", "observed", "expected", "effect", "effect_low",
                 "effect_high", "flagged", "attached", "evidence"],
    )
    return clusters, accounts


def _attach(events, results, cluster_rows: list[dict], cluster_accounts: list[pd.DataFrame], claimed: set[str], pool: list[str],
            params: DetectParams) -> None:
    """Membership test of the other accounts engaging the targets against all confirmed coordinated members
    (module ``membership``); each attached account joins the coordinated cluster holding most of its evidence
    (near actions plus trace links to that cluster's members). Updates ``cluster_accounts`` in place."""
    coordinated = [i for i, r in enumerate(cluster_rows) if r["coordinated"]]
    if not coordinated:
        return
    members = sorted({a for i in coordinated for a in cluster_accounts[i]["account_id"]})
    tested = membership.test_membership(events, results, members, pool, claimed | set(members), params.alpha, params.n_null,
                                        np.random.default_rng(params.seed))
    joined = tested[tested["attached"]]
    if joined.empty:
        return
    per_cluster = {i: set(cluster_accounts[i]["account_id"]) for i in coordinated}
    near = {i: membership.timing_test(events, per_cluster[i], n_null=0).set_index("account_id")["observed"] for i in coordinated}
    for row in joined.to_dict("records"):
        def support(i: int) -> float:
            links = sum(len(set(t.get("members", [])) & per_cluster[i]) for t in row["traces"].values())
            return float(near[i].get(row["account_id"], 0)) + links
        home = max(coordinated, key=support)
        extra = pd.DataFrame([{
            "account_id": row["account_id"], "observed": int(row["observed"]), "expected": float(row["expected"]),
            "ratio": None, "p_value": float(row["p_value"]), "q_value": float(row["q_value"]), "confirmed": False,
            "effect": None, "effect_low": None, "effect_high": None,
            "attached": True, "membership": {
                "traces": row["traces"], "timing_p": float(row["timing_p"]), "corroboration_p": float(row["corroboration_p"]),
                "combined_p": float(row["p_value"]), "q_value": float(row["q_value"]), "pool": int(len(tested)),
                "null": "corroborating traces randomly paired with timing among the accounts engaging the targets",
            },
        }])
        cluster_accounts[home] = pd.concat([cluster_accounts[home], extra], ignore_index=True)


def _optional_float(value) -> float | None:
    """A finite float, or None (missing, NaN or infinite: Neo4j properties cannot hold those meaningfully)."""
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def _add_signal_q_values(cluster_rows: list[dict[str, Any]]) -> None:
    """Benjamini–Hochberg over every (cluster, signal) p-value of the run, stored beside the p-values."""
    cells = []
    for i, row in enumerate(cluster_rows):
        sig = json.loads(row["signals"])
        for name, p in sig["p_values"].items():
            cells.append((i, name, p))
    if not cells:
        return
    q = statistics.bh_q_values([p for _, _, p in cells])
    parsed = [json.loads(r["signals"]) for r in cluster_rows]
    for (i, name, _), qv in zip(cells, q):
        parsed[i]["q_values"][name] = float(qv)
    for row, sig in zip(cluster_rows, parsed):
        row["signals"] = json.dumps(sig)


def _store(driver, run_id: str, clusters: pd.DataFrame, accounts: pd.DataFrame, database) -> None:
    cluster_rows = clusters.drop(columns=["strongest_signals", "observed", "expected"]).to_dict("records")
    for row in cluster_rows:
        for k in ("effect", "effect_low", "effect_high"):
            row[k] = _optional_float(row[k])
    for _ in db.write_batches(driver, "detect/write_clusters", cluster_rows, database=database, run_id=run_id):
        pass
    member_rows = accounts[["account_id", "number", "score", "p_value", "effect", "effect_low", "effect_high", "flagged",
                            "evidence"]].to_dict("records")
    for row in member_rows:
        for k in ("effect", "effect_low", "effect_high"):
            row[k] = _optional_float(row[k])
    for _ in db.write_batches(driver, "detect/write_members", member_rows, database=database, run_id=run_id):
        pass
