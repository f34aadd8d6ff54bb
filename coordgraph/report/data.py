"""Collect everything a report says about one run into plain, JSON-ready data (the JSON report contract)."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

import orjson
import pandas as pd
from neo4j import Driver
from neo4j.time import Date, DateTime

from .. import __version__, db
from ..adhoc import plain
from ..analytics import routes
from ..analytics.impact import impact
from ..analytics.status import STATUSES, cluster_status
from ..errors import CoordgraphError
from ..timerange import TimeRange
from .evidence_text import evidence_sentence, handle

# Seconds within which an engagement counts as "rapid" in the latency summary (the seed study's 60 s).
DEFAULT_WINDOW_S = 60


def collect(driver: Driver, run_id: str, database: str | None = None, time_range: TimeRange = TimeRange()) -> dict[str, Any]:
    """The report of run ``run_id`` (an existing id, see :func:`coordgraph.runs.resolve`) as a JSON-ready dict.

    Keys: ``coordgraph_version``, ``generated_at``, ``run`` (id, times, version, status, params),
    ``sources`` (provenance with sha256), ``clusters`` (each with ``id``, ``number``, ``size``, ``score``,
    ``p_value``, ``q_value``, ``coordinated``, ``signals``, ``effect``, ``found_by``, ``status``, ``latency``, ``accounts`` with their
    ``evidence`` and ``strongest`` link, and ``edges``), ``benchmark_latency``, ``impact`` (``period`` and
    ``weekly`` rows of :func:`coordgraph.analytics.impact.impact`), ``activity`` (daily member activity) and
    ``time_range`` (``since``/``until``, ISO UTC or null): the impact and the activity count only what happened
    inside ``time_range`` (the caller passes the run's own range by default, see
    :func:`coordgraph.timerange.for_run`).
    """
    run_row = db.read(driver, "reports/run", database=database, run_id=run_id)[0]
    run = _json_ready(dict(run_row["run"]))
    run["params"] = _parse_json(run.get("params"))
    run_params = run["params"] if isinstance(run["params"], dict) else {}
    window_s = run_params.get("window_s", DEFAULT_WINDOW_S)
    if not isinstance(window_s, (int, float)):
        window_s = DEFAULT_WINDOW_S
    run.update(clusters=run_row["clusters"], flagged_clusters=run_row["flagged_clusters"])
    run["skipped"] = _skipped(run.get("skipped"))

    sources = [_json_ready(s) for s in db.read(driver, "reports/sources", database=database)]
    edges = [_json_ready(e) for e in db.read(driver, "reports/edges", database=database, run_id=run_id)]
    members = [_json_ready(m) for m in db.read(driver, "reports/members", database=database, run_id=run_id)]
    strongest = _strongest_links(edges)
    usernames = {m["account_id"]: m["username"] for m in members}
    created = {m["account_id"]: _ms_to_iso(m["created_ms"]) for m in members}
    platforms = {m["account_id"]: m.get("platform") for m in members}
    for e in edges:
        e["source_username"], e["target_username"] = usernames.get(e["source"]), usernames.get(e["target"])
        e["platform"] = platforms.get(e["source"])

    statuses = {row["cluster"]: row for row in _records(cluster_status(driver, run_id, database=database))}
    latency = {row["cluster"]: row for row in db.read(driver, "reports/reaction_latency_summary", database=database,
                                                      run_id=run_id, window_s=window_s)}
    latency_bins = db.read(driver, "reports/reaction_latency", database=database, run_id=run_id)

    by_cluster: dict[int, list[dict]] = defaultdict(list)
    for m in members:
        by_cluster[m["cluster"]].append(m)
    clusters = []
    for c in db.read(driver, "reports/clusters", database=database, run_id=run_id):
        number = c["number"]
        ids = {m["account_id"] for m in by_cluster[number]}
        status = statuses.get(number, {})
        cluster_edges = [e for e in edges if e["source"] in ids and e["target"] in ids]
        links = _links_by_account(cluster_edges)
        accounts = [_account(m, strongest.get(m["account_id"]), usernames) for m in by_cluster[number]]
        for a in accounts:
            a["evidence_text"] = evidence_sentence(a, links.get(a["id"], {}), usernames, created, window_s)
        signals = _parse_json(c["signals"])
        clusters.append({
            "id": c["key"],
            "number": number,
            "size": c["size"],
            "score": _num(c["score"]),
            "p_value": _num(c["p_value"]),
            "q_value": _num(c["q_value"]),
            "coordinated": bool(c["coordinated"]),
            "signals": signals,
            "reason": c.get("reason"),
            "effect": _effect(c, signals),
            "found_by": _found_by(signals),
            "status": {**{s: int(status.get(s, 0)) for s in STATUSES},
                       "first_checked": status.get("first_checked"), "last_checked": status.get("last_checked")},
            "latency": _latency_row(latency.get(number)),
            "latency_bins": {str(b["bin"]): b["n"] for b in latency_bins if b["cluster"] == number},
            "accounts": accounts,
            "edges": cluster_edges,
        })

    report: dict[str, Any] = {
        "coordgraph_version": __version__,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "run": run,
        "sources": sources,
        "clusters": clusters,
        "benchmark_latency": {**_latency_row(latency.get(None)),
                              "bins": {str(b["bin"]): b["n"] for b in latency_bins if b["cluster"] is None}},
        "latency_window_s": window_s,
        "time_range": time_range.as_record(),
        "impact": _impact_section(driver, run_id, database, time_range),
        "activity": [_json_ready(r) for r in db.read(driver, "reports/member_activity", database=database, run_id=run_id,
                                                     since_ms=time_range.since_ms, until_ms=time_range.until_ms)],
    }
    return report


def _impact_section(driver: Driver, run_id: str, database: str | None, time_range: TimeRange) -> dict[str, list]:
    try:
        period = impact(driver, run_id=run_id, database=database, time_range=time_range)
        weekly = impact(driver, run_id=run_id, weekly=True, database=database, time_range=time_range)
    except CoordgraphError:  # no targets marked: nothing to measure impact against
        return {"period": [], "weekly": []}
    return {"period": _records(period), "weekly": _records(weekly)}


def _account(m: dict, strongest: dict | None, usernames: dict[str, str]) -> dict[str, Any]:
    evidence = _parse_json(m.pop("evidence"))
    if strongest:
        partner = strongest["partner"]
        strongest = {**strongest, "partner_username": usernames.get(partner)}
    return {
        "id": m["account_id"],
        "username": m["username"],
        "handle": handle(m["username"], m["account_id"]),
        "platform": m.get("platform"),
        "attached": isinstance(evidence, dict) and isinstance(evidence.get("membership"), dict),
        "name": m["name"],
        "score": _num(m["score"]),
        "status": m["status"],
        "status_checked_at": m["status_checked_at"],
        "created_at": _ms_to_iso(m["created_ms"]),
        "description": m["description"],
        "location": m["location"],
        "lang": m["lang"],
        "followers": m["followers"],
        "following": m["following"],
        "default_profile_image": m["default_profile_image"],
        "posts": m["posts"],
        "retweets": m["retweets"],
        "first_active_at": _ms_to_iso(m["first_active_ms"]),
        "last_active_at": _ms_to_iso(m["last_active_ms"]),
        "evidence": evidence if isinstance(evidence, dict) else {"value": evidence},
        "strongest": strongest,
    }


def _effect(cluster: dict, signals: Any) -> dict[str, Any] | None:
    """The cluster's decision figure: observed / expected co-actions with its 95 % interval and the floor its
    lower bound was judged by (``None`` for runs made before effects were stored)."""
    if cluster.get("effect") is None:
        return None
    null = signals.get("null") if isinstance(signals, dict) else None
    floor = null.get("min_effect") if isinstance(null, dict) else None
    return {"value": _num(cluster["effect"]), "low": _num(cluster.get("effect_low")),
            "high": _num(cluster.get("effect_high")), "floor": _num(floor)}


def _found_by(signals: Any) -> dict[str, str]:
    """Which route proposed and confirmed the cluster: ``route`` (as stored), ``name`` and ``how`` (one sentence)."""
    route = routes.route_of(signals)
    name, how = routes.FOUND_BY[route]
    return {"route": route, "name": name, "how": how}


def _strongest_links(edges: list[dict]) -> dict[str, dict]:
    """Per account, its evidence edge with the highest weight, and a per-signal summary of all its edges."""
    best: dict[str, dict] = {}
    per_signal: dict[str, dict[str, dict]] = defaultdict(lambda: defaultdict(lambda: {"partners": 0, "count": 0}))
    for e in edges:
        for me, other in ((e["source"], e["target"]), (e["target"], e["source"])):
            s = per_signal[me][e["signal"]]
            s["partners"] += 1
            s["count"] += e["count"] or 0
            w = e["weight"] if e["weight"] is not None else -math.inf
            if me not in best or w > best[me]["weight_key"]:
                best[me] = {"signal": e["signal"], "partner": other, "weight": e["weight"], "count": e["count"],
                            "weight_key": w}
    out = {}
    for account, b in best.items():
        b.pop("weight_key")
        out[account] = {**b, "signals": {k: dict(v) for k, v in per_signal[account].items()}}
    return out


def _links_by_account(edges: list[dict]) -> dict[str, dict[str, dict]]:
    """Per account and signal, from the evidence edges inside its cluster: the partners (strongest first), the
    summed co-actions, each pair's count and the shared items listed on the edges (``capped`` when an edge lists
    fewer items than its count)."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for e in sorted(edges, key=lambda e: -(e["weight"] or 0.0)):
        for me, other in ((e["source"], e["target"]), (e["target"], e["source"])):
            link = out[me].setdefault(e["signal"], {"partners": [], "count": 0, "pair_counts": [], "items": [],
                                                     "capped": False})
            if other not in link["partners"]:
                link["partners"].append(other)
            count = int(e["count"] or 0)
            posts = [str(p) for p in e.get("posts") or []]
            link["count"] += count
            link["pair_counts"].append(count)
            link["items"] = list(dict.fromkeys([*link["items"], *posts]))
            link["capped"] = link["capped"] or count > len(posts)
    return out


def _skipped(value: Any) -> list[dict[str, str]]:
    """The run's skipped stages (``Run.skipped``, a JSON list of ``{stage, reason}``); empty when absent."""
    parsed = _parse_json(value)
    if not isinstance(parsed, list):
        return []
    out = []
    for item in parsed:
        if isinstance(item, dict):
            out.append({"stage": str(item.get("stage", "")), "reason": str(item.get("reason", ""))})
        elif item is not None:
            out.append({"stage": str(item), "reason": ""})
    return out


def evidence_summary(account: dict) -> str:
    """One line saying in words why an account was flagged (see :mod:`coordgraph.report.evidence_text`)."""
    if account.get("evidence_text"):
        return account["evidence_text"]
    strongest = account.get("strongest")
    if not strongest:
        ev = account.get("evidence") or {}
        parts = [f"{k}={v}" for k, v in ev.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)]
        return "; ".join(parts[:5]) or "member of the cluster (no pairwise evidence recorded)"
    signals = sorted(strongest["signals"].items(), key=lambda kv: -kv[1]["count"])
    parts = [f"{name}: {s['partners']} partner(s), {s['count']} shared item(s)" for name, s in signals]
    partner = handle(strongest.get("partner_username"), strongest["partner"])
    weight = strongest["weight"]
    head = f"strongest {strongest['signal']} with {partner}" + (f" (weight {weight:.3g})" if isinstance(weight, (int, float)) else "")
    return "; ".join([head, *parts])


def _latency_row(row: dict | None) -> dict[str, Any]:
    if not row:
        return {"n": 0, "p25_s": None, "median_s": None, "p75_s": None, "within_window": 0}
    return {"n": row["n"], "p25_s": _num(row["p25_s"]), "median_s": _num(row["median_s"]),
            "p75_s": _num(row["p75_s"]), "within_window": row["within_window"]}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [_json_ready(r) for r in frame.astype(object).to_dict(orient="records")]


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, (DateTime, Date)):
        return value.to_native().isoformat()
    value = plain(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return _json_ready(value.item())
    if value is pd.NaT:
        return None
    return value


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _parse_json(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value


def _ms_to_iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat(timespec="seconds")
