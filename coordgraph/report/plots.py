"""Report figures drawn with matplotlib, returned as base64 PNG so the HTML report is one self-contained file.

PNG rather than inline SVG: text drawn from data (handles, names) ends up as pixels, never as markup.
"""

from __future__ import annotations

import base64
import functools
import io
import math
import warnings
from collections import defaultdict
from datetime import datetime, timezone

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as ticker  # noqa: E402
import networkx as nx  # noqa: E402

DAY_MS = 86_400_000
FLAGGED_COLOUR = "#c0392b"
BENCHMARK_COLOUR = "#7f8c8d"


def _plain_text(func):
    """Draw with mathtext off: a '$' in a handle or name must print as is, not start a formula."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with plt.rc_context({"text.parse_math": False}), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # missing glyphs (e.g. CJK names) only degrade the picture
            return func(*args, **kwargs)

    return wrapper


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _date(value: str | int) -> datetime:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _date_axis(ax) -> None:
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _seconds_label(value: float, _pos=None) -> str:
    if value < 60:
        return f"{value:g} s"
    if value < 3600:
        return f"{value / 60:g} min"
    if value < 86400:
        return f"{value / 3600:g} h"
    return f"{value / 86400:g} d"


@_plain_text
def weekly_share(weekly_rows: list[dict]) -> str | None:
    """Per target, the weekly share of its engagement written by each flagged group (lines), peaks marked."""
    if not weekly_rows:
        return None
    targets = sorted({r["target"] or r["target_id"] for r in weekly_rows})
    fig, axes = plt.subplots(len(targets), 1, figsize=(9, 2.8 * len(targets)), squeeze=False, sharex=True)
    for ax, target in zip(axes[:, 0], targets):
        by_group: dict[str, list[dict]] = defaultdict(list)
        for r in weekly_rows:
            if (r["target"] or r["target_id"]) == target and r["week"]:
                by_group[r["group"]].append(r)
        for group, rows in by_group.items():
            rows.sort(key=lambda r: r["week"])
            xs = [_date(r["week"]) for r in rows]
            ys = [100 * (r["engagements_share"] or 0) for r in rows]
            style = {"color": FLAGGED_COLOUR, "linewidth": 2.2} if group == "all flagged" else {"linewidth": 1, "alpha": 0.8}
            ax.plot(xs, ys, marker="o", markersize=3, label=group, **style)
            peaks = [(x, y) for x, y, r in zip(xs, ys, rows) if r.get("peak")]
            if group == "all flagged" and peaks:
                ax.scatter(*zip(*peaks), s=60, facecolors="none", edgecolors="black", zorder=3, label="peak weeks")
        ax.set_title(f"Share of engagement with @{target} written by flagged accounts, per week")
        ax.set_ylabel("% of retweets+replies+quotes")
        ax.set_ylim(0, 100)
        _date_axis(ax)
        ax.legend(fontsize=7, loc="upper right")
        ax.grid(alpha=0.3)
    return _png(fig)


@_plain_text
def creation_times(clusters: list[dict]) -> str | None:
    """Account creation times of flagged clusters' members: one row per cluster, bursts show as stacks."""
    rows = [(c["number"], _date(a["created_at"])) for c in clusters if c["coordinated"]
            for a in c["accounts"] if a.get("created_at")]
    if not rows:
        return None
    numbers = sorted({n for n, _ in rows})
    fig, (ax, hist) = plt.subplots(2, 1, figsize=(9, 1.2 + 0.5 * len(numbers) + 2.2), height_ratios=[max(1, len(numbers)), 2])
    for i, n in enumerate(numbers):
        xs = [d for m, d in rows if m == n]
        ax.scatter(xs, [i] * len(xs), marker="|", s=250, color=FLAGGED_COLOUR)
    ax.set_yticks(range(len(numbers)), [f"cluster {n}" for n in numbers])
    ax.set_title("Account creation times of flagged cluster members")
    dates = [mdates.date2num(d) for _, d in rows]
    span = max(dates) - min(dates)
    # Bins of 10 minutes for bursts within two days, else of one day.
    width, unit = (10 / 1440, "10 minutes") if span <= 2 else (1.0, "day")
    hist.hist(dates, bins=max(1, math.ceil(span / width)) if span else 1, color=FLAGGED_COLOUR)
    hist.set_ylabel(f"accounts / {unit}")
    for a in (ax, hist):
        _date_axis(a)
        a.grid(alpha=0.3)
    return _png(fig)


@_plain_text
def reaction_latency(cluster: dict, benchmark: dict) -> str | None:
    """Distribution of delays between a target's post and the engagement: the cluster versus the benchmark."""
    mine, others = cluster.get("latency_bins") or {}, benchmark.get("bins") or {}
    if not mine and not others:
        return None
    fig, ax = plt.subplots(figsize=(8, 3))
    for bins, label, colour in ((others, "benchmark (other engaging accounts)", BENCHMARK_COLOUR),
                                (mine, f"cluster {cluster['number']}", FLAGGED_COLOUR)):
        total = sum(bins.values())
        if not total:
            continue
        keys = sorted(int(k) for k in bins)
        xs = [10 ** (k / 4) for k in keys]
        ys = [100 * bins[str(k)] / total for k in keys]
        ax.bar(xs, ys, width=[x * (10 ** 0.25 - 1) for x in xs], align="edge", alpha=0.55, color=colour, label=label,
               edgecolor=colour)
    ax.axvline(60, color="black", linestyle="--", linewidth=1, label="60 s")
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(ticker.FixedLocator([1, 10, 60, 600, 3600, 6 * 3600, 86400, 7 * 86400]))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(_seconds_label))
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_xlabel("seconds after the target's post")
    ax.set_ylabel("% of engagements")
    ax.set_title(f"Reaction latency, cluster {cluster['number']} vs benchmark")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return _png(fig)


@_plain_text
def activity_timeline(cluster_number: int, activity: list[dict]) -> str | None:
    """Daily activity of each member of a cluster: dormancy shows as gaps, joint activation as aligned dots."""
    rows = [r for r in activity if r["cluster"] == cluster_number]
    if not rows:
        return None
    accounts = sorted({r["account_id"] for r in rows}, key=lambda a: min(r["day"] for r in rows if r["account_id"] == a))
    index = {a: i for i, a in enumerate(accounts)}
    fig, ax = plt.subplots(figsize=(9, 1.5 + 0.18 * len(accounts)))
    xs = [_date(r["day"] * DAY_MS) for r in rows]
    ys = [index[r["account_id"]] for r in rows]
    sizes = [8 + 6 * math.log2(1 + r["n"]) for r in rows]
    ax.scatter(xs, ys, s=sizes, color=FLAGGED_COLOUR, alpha=0.7)
    ax.set_yticks([])
    ax.set_ylabel(f"{len(accounts)} members")
    ax.set_title(f"Daily activity of cluster {cluster_number} members (posts + retweets)")
    _date_axis(ax)
    ax.grid(alpha=0.3)
    return _png(fig)


@_plain_text
def coordination_graph(cluster: dict, max_labels: int = 40) -> str | None:
    """The cluster's coordination graph: members as nodes (darker = higher score), evidence edges by weight."""
    graph = nx.Graph()
    for a in cluster["accounts"]:
        graph.add_node(a["id"], label=a["username"] or a["id"], score=a["score"] or 0.0)
    for e in cluster["edges"]:
        w = e["weight"] or 0.0
        if graph.has_edge(e["source"], e["target"]):
            graph[e["source"]][e["target"]]["weight"] += w
        else:
            graph.add_edge(e["source"], e["target"], weight=w)
    if graph.number_of_nodes() == 0:
        return None
    fig, ax = plt.subplots(figsize=(7, 6))
    # Kamada-Kawai spreads dense clusters more readably than a spring layout; it is quadratic, so only up to 300.
    pos = (nx.kamada_kawai_layout(graph) if 2 < graph.number_of_nodes() <= 300 and nx.is_connected(graph)
           else nx.spring_layout(graph, seed=7, weight="weight"))
    weights = [d["weight"] for _, _, d in graph.edges(data=True)]
    top = max(weights) if weights else 1.0
    nx.draw_networkx_edges(graph, pos, ax=ax, width=[0.5 + 3 * w / (top or 1) for w in weights], alpha=0.5)
    scores = [graph.nodes[n]["score"] for n in graph.nodes]
    low, high = min(scores), max(scores)
    # Colour by membership score within the cluster (scores are not on a fixed scale across signals).
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=120, cmap="Reds", node_color=scores,
                           vmin=low - (high - low or 1.0), vmax=high)
    if graph.number_of_nodes() <= max_labels:
        nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7,
                                labels={n: graph.nodes[n]["label"] for n in graph.nodes})
    ax.set_title(f"Coordination graph of cluster {cluster['number']} ({graph.number_of_nodes()} accounts, "
                 f"{graph.number_of_edges()} linked pairs)")
    ax.axis("off")
    return _png(fig)
