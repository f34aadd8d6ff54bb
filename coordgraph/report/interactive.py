"""What the HTML report's interactive cluster graphs need: the data of each flagged cluster as a graph with a
layout computed here (so members stand apart and the picture is the same on every opening), the vendored
drawing library and the page script, and the Content-Security-Policy that allows exactly those two scripts.

Data reaches the page only as JSON in a ``<script type="application/json">`` block, with ``<``, ``>`` and ``&``
written as ``\\u`` escapes so no text from the data can end the block or start markup.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path
from typing import Any

import networkx as nx
import orjson
from markupsafe import Markup

from .evidence_text import handle, post_url

_HERE = Path(__file__).parent
VENDOR_JS = _HERE / "vendor" / "cytoscape.min.js"
APP_JS = _HERE / "static" / "report.js"
MAX_POSTS = 10


@functools.cache
def scripts() -> tuple[str, str]:
    """The drawing library and the page script, as text."""
    return VENDOR_JS.read_text(encoding="utf-8"), APP_JS.read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy() -> str:
    """No fetch of any kind; inline styles and data: images; only the two embedded scripts, by hash."""
    library, app = scripts()
    return ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
            f"script-src {_sha256(library)} {_sha256(app)}; base-uri 'none'; form-action 'none'")


def script_json(value: Any) -> Markup:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = orjson.dumps(value, default=str).decode("utf-8")
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _rank(values: list[float]) -> list[float]:
    """Each value's place between the smallest (0) and the largest (1), for sizes and colours."""
    if not values:
        return []
    low, high = min(values), max(values)
    return [0.5 if high == low else (v - low) / (high - low) for v in values]


def _layout(ids: list[str], pairs: dict[tuple[str, str], float]) -> dict[str, tuple[float, float]]:
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    for (a, b), w in pairs.items():
        graph.add_edge(a, b, weight=w)
    n = graph.number_of_nodes()
    if n == 1:
        return {ids[0]: (0.0, 0.0)}
    # Kamada-Kawai spreads a dense cluster evenly (members stand apart instead of a knot in the middle); it is
    # quadratic, so large or split graphs get a seeded spring layout with a long ideal distance instead.
    if n <= 300 and nx.is_connected(graph):
        pos = nx.kamada_kawai_layout(graph, weight=None)
    else:
        pos = nx.spring_layout(graph, k=2.5 / max(n, 1) ** 0.5, pos=nx.circular_layout(graph), iterations=300, seed=7,
                               weight=None)
    scale = 90 * max(n, 4) ** 0.5
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in pos.items()}


def cluster_graph(cluster: dict) -> dict[str, Any]:
    """Nodes (with dossier fields and a position) and edges of one cluster for the page script.

    Evidence edges are the run's ``COORDINATED`` edges among members; an account attached by the membership
    test also gets dashed edges to the members it co-acted with or shares identity traces with.
    """
    accounts = cluster["accounts"]
    ids = [a["id"] for a in accounts]
    present = set(ids)
    platform = {a["id"]: a.get("platform") for a in accounts}
    score_rank = _rank([float(a["score"] or 0.0) for a in accounts])
    edges: list[dict[str, Any]] = []
    pairs: dict[tuple[str, str], float] = {}
    weights = [float(e["weight"] or 0.0) for e in cluster["edges"]]
    top = max(weights) if weights else 1.0
    for i, e in enumerate(cluster["edges"]):
        w = float(e["weight"] or 0.0)
        edges.append({
            "id": f"e{i}", "source": e["source"], "target": e["target"], "signal": e["signal"], "weight": e["weight"],
            "weight_text": f"{w:.3g}", "weight_rank": w / top if top > 0 else 0.0, "count": e.get("count") or 0,
            "dashed": False, "posts": _posts(e.get("posts"), platform.get(e["source"])),
        })
        key = tuple(sorted((e["source"], e["target"])))
        pairs[key] = pairs.get(key, 0.0) + w
    for a in accounts:
        if not a.get("attached"):
            continue
        for j, link in enumerate(_attachment_links(a)):
            if link["partner"] not in present or link["partner"] == a["id"]:
                continue
            edges.append({
                "id": f"m{a['id']}-{j}", "source": a["id"], "target": link["partner"], "signal": link["signal"],
                "weight": None, "weight_text": "", "weight_rank": 0.0, "count": link["count"], "dashed": True,
                "posts": _posts(link["posts"], a.get("platform")),
            })
            key = tuple(sorted((a["id"], link["partner"])))
            pairs.setdefault(key, 0.0)
    positions = _layout(ids, pairs)
    nodes = []
    for a, rank in zip(accounts, score_rank):
        x, y = positions[a["id"]]
        nodes.append({
            "id": a["id"], "label": handle(a["username"], a["id"]), "name": a.get("name") or "",
            "description": (a.get("description") or "")[:400], "status": a.get("status"),
            "score": a["score"], "score_text": "–" if a["score"] is None else f"{a['score']:.3g}", "score_rank": rank,
            "created": (a.get("created_at") or "")[:16].replace("T", " "),
            "active": " – ".join(v[:10] for v in (a.get("first_active_at"), a.get("last_active_at")) if v),
            "activity": f"{a.get('posts') or 0} / {a.get('retweets') or 0}",
            "attached": bool(a.get("attached")), "evidence_text": a.get("evidence_text") or "",
            "position": {"x": x, "y": y},
        })
    signals = sorted({e["signal"] for e in edges})
    counts = {s: sum(1 for e in edges if e["signal"] == s) for s in signals}
    return {"nodes": nodes, "edges": edges, "signals": signals, "signal_counts": counts}


def _attachment_links(account: dict) -> list[dict[str, Any]]:
    """Co-action links and identity-trace peers that tied an attached account to members (from its dossier)."""
    evidence = account.get("evidence") or {}
    out = []
    for link in evidence.get("attachment") or []:
        if isinstance(link, dict) and link.get("partner") is not None:
            out.append({"signal": str(link.get("signal") or "co-action"), "partner": str(link["partner"]),
                        "count": int(link.get("count") or 0), "posts": link.get("posts") or []})
    traces = (evidence.get("membership") or {}).get("traces") or {}
    for name, trace in traces.items():
        if name == "timing" or not isinstance(trace, dict):
            continue
        for member in trace.get("members") or []:
            out.append({"signal": f"{name} (membership test)", "partner": str(member), "count": 1, "posts": []})
    return out


def _posts(posts: Any, platform: str | None) -> list[dict[str, Any]]:
    return [{"id": str(p), "url": post_url(p, platform)} for p in (posts or [])[:MAX_POSTS]]


def page_data(clusters: list[dict]) -> Markup:
    """The JSON block of the page: one graph per flagged cluster, keyed by cluster number."""
    return script_json({"graphs": {str(c["number"]): cluster_graph(c) for c in clusters}})
