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
from datetime import datetime, timedelta, timezone

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as ticker  # noqa: E402

DAY_MS = 86_400_000
_REGIONAL_A = 0x1F1E6
FLAGGED_COLOUR = "#c0392b"
BENCHMARK_COLOUR = "#7f8c8d"


def _plain_text(func):
    """Draw with mathtext off: a '$' in a handle or name must print as is, not start a formula."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with plt.rc_context({"text.parse_math": False, "font.family": _fonts()[0]}), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # missing glyphs (e.g. CJK names) only degrade the picture
            return func(*args, **kwargs)

    return wrapper


# Fonts tried after matplotlib's DejaVu Sans for scripts it lacks (CJK, more symbols), when installed.
FALLBACK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Droid Sans Fallback", "Noto Sans",
                  "Noto Sans Symbols2")


@functools.cache
def _fonts() -> tuple[list[str], frozenset[int]]:
    """The figure font families (DejaVu Sans, then installed fallbacks) and the code points they can draw."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    families = ["DejaVu Sans", *[f for f in FALLBACK_FONTS if f in installed]]
    chars: set[int] = set()
    for family in families:
        path = installed.get(family) or font_manager.findfont(font_manager.FontProperties(family=family))
        try:
            chars.update(FT2Font(path).get_charmap())
        except (OSError, RuntimeError):  # a collection the reader cannot open: skip that font
            continue
    return families, frozenset(chars)


def figure_text(text: str | None, fallback: str = "?") -> str:
    """Text from the data made drawable: flag emoji become their country code ('🇬🇧' -> '[GB]'), other glyphs
    no figure font has are dropped (an empty box tells the reader nothing); ``fallback`` when nothing is left."""
    if not text:
        return ""
    chars, out, i = _fonts()[1], [], 0
    codes = [ord(c) for c in text]
    while i < len(codes):
        c = codes[i]
        if _REGIONAL_A <= c < _REGIONAL_A + 26:
            if i + 1 < len(codes) and _REGIONAL_A <= codes[i + 1] < _REGIONAL_A + 26:
                out.append("[" + chr(ord("A") + c - _REGIONAL_A) + chr(ord("A") + codes[i + 1] - _REGIONAL_A) + "]")
                i += 2
                continue
        elif c in chars or c in (0x20,):
            out.append(chr(c))
        i += 1
    result = "".join(out).strip()
    return result if result.strip("@ ") else fallback


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _date(value: str | int) -> datetime:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


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
            bounds = [(r.get("engagements_share_low"), r.get("engagements_share_high")) for r in rows]
            if group == "all flagged" and all(isinstance(lo, (int, float)) and isinstance(hi, (int, float)) for lo, hi in bounds):
                ax.fill_between(xs, [100 * lo for lo, _ in bounds], [100 * hi for _, hi in bounds], color=FLAGGED_COLOUR,
                                alpha=0.15, linewidth=0, label="95 % interval")
            peaks = [(x, y) for x, y, r in zip(xs, ys, rows) if r.get("peak")]
            if group == "all flagged" and peaks:
                ax.scatter(*zip(*peaks), s=60, facecolors="none", edgecolors="black", zorder=3, label="peak weeks")
        ax.set_title(f"Share of engagement with @{figure_text(target)} written by flagged accounts, per week")
        ax.set_ylabel("% of retweets+replies+quotes")
        ax.set_ylim(0, 100)
        _date_axis(ax)
        # Beside the axes, never over the data: a legend inside covered the third peak marker.
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
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
def coordination_graph(cluster: dict, max_labels: int = 60) -> str | None:
    """The cluster's coordination graph for print and Markdown: members as nodes (darker = higher score),
    evidence edges by weight, accounts attached by the membership test as diamonds with dashed links to the
    members they co-acted with; the same layout as the interactive graph."""
    from .interactive import cluster_graph  # one layout for both pictures

    data = cluster_graph(cluster)
    if not data["nodes"]:
        return None
    pos = {n["id"]: (n["position"]["x"], -n["position"]["y"]) for n in data["nodes"]}
    n = len(data["nodes"])
    side = min(14.0, 6.0 + 0.12 * n)
    fig, ax = plt.subplots(figsize=(side, side * 0.85))
    solid: dict[tuple[str, str], float] = {}
    dashed: set[tuple[str, str]] = set()
    for e in data["edges"]:
        key = tuple(sorted((e["source"], e["target"])))
        if e["dashed"]:
            dashed.add(key)
        else:
            solid[key] = solid.get(key, 0.0) + float(e["weight"] or 0.0)
    top = max(solid.values(), default=1.0) or 1.0
    for (a, b), w in solid.items():
        ax.plot(*zip(pos[a], pos[b]), color="#555", alpha=0.25 + 0.4 * w / top, linewidth=0.4 + 2.6 * w / top, zorder=1)
    for a, b in dashed - set(solid):
        ax.plot(*zip(pos[a], pos[b]), color="#2980b9", linestyle=(0, (4, 3)), linewidth=1.2, alpha=0.9, zorder=1)
    for attached, marker in ((False, "o"), (True, "D")):
        nodes = [x for x in data["nodes"] if x["attached"] == attached]
        if nodes:
            ax.scatter([pos[x["id"]][0] for x in nodes], [pos[x["id"]][1] for x in nodes], marker=marker,
                       s=[60 + 140 * x["score_rank"] for x in nodes], c=[x["score_rank"] for x in nodes], cmap="Reds",
                       vmin=-0.6, vmax=1.0, edgecolors="#333", linewidths=0.8, zorder=2,
                       label="attached by the membership test" if attached else "member")
    if n <= max_labels:
        for x in data["nodes"]:
            px, py = pos[x["id"]]
            ax.annotate(figure_text(x["label"], fallback=f"account {x['id']}"), (px, py), xytext=(0, -9), textcoords="offset points", ha="center",
                        va="top", fontsize=7, zorder=3,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
    ax.margins(0.12)  # room for the labels of the outermost members
    ax.set_title(f"Coordination graph of cluster {cluster['number']} ({n} accounts, {len(solid)} linked pairs"
                 + (f", {len(dashed - set(solid))} membership-test links" if dashed - set(solid) else "") + ")")
    if any(x["attached"] for x in data["nodes"]):
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.axis("off")
    return _png(fig)


@_plain_text
def cluster_timeline(cluster: dict, activity: list[dict], weekly_rows: list[dict]) -> str | None:
    """The cluster's story on one time axis: account creations, daily active members with the activations
    after a silence marked, and the weekly share of the targets' engagement the cluster wrote.

    When the accounts were created long before they acted, the axis is broken in two (creation period | active
    period) with the silence between them written on the break, so neither part is squeezed to a sliver."""
    number = cluster["number"]
    created = sorted(_date(a["created_at"]) for a in cluster["accounts"] if a.get("created_at"))
    per_day: dict[int, set] = defaultdict(set)
    for r in activity:
        if r["cluster"] == number:
            per_day[r["day"]].add(r["account_id"])
    activations = []
    for a in cluster["accounts"]:
        detail = (((a.get("evidence") or {}).get("account_signals") or {}).get("dormancy_activation") or {}).get("detail")
        if isinstance(detail, dict) and detail.get("activated_at"):
            activations.append(_date(detail["activated_at"]))
    group = f"cluster {number}"
    weeks: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for r in weekly_rows:
        if r["group"] == group and r.get("week") and r.get("engagements_share") is not None:
            weeks[r["target"] or r["target_id"]].append((_date(r["week"]), 100 * r["engagements_share"]))
    if not created and not per_day and not weeks:
        return None
    days = sorted(per_day)
    active_start = _date(days[0] * DAY_MS) if days else None
    pad = timedelta(days=7)
    # Break the axis when the last creation before the activity is more than 90 days before the first action.
    before = [d for d in created if active_start is None or d < active_start]
    broken = bool(before and active_start and (active_start - before[-1]).days > 90)
    columns = 2 if broken else 1
    fig, axes = plt.subplots(3, columns, figsize=(10, 6.4), squeeze=False, sharey="row",
                             height_ratios=[1, 1.4, 1.4], width_ratios=[1, 2] if broken else [1],
                             gridspec_kw={"wspace": 0.06})
    spans = []
    if broken:
        spans.append((before[0] - pad, before[-1] + pad))
        end = max([_date(days[-1] * DAY_MS)] + [p[0] for pts in weeks.values() for p in pts])
        spans.append((active_start - pad, end + pad))
    for col in range(columns):
        top, mid, low = axes[:, col]
        if created:
            dates = [mdates.date2num(d) for d in created]
            span = max(dates) - min(dates)
            top.hist(dates, bins=max(1, min(400, math.ceil(span / 7))) if span else 1, color=FLAGGED_COLOUR)
        if days:
            mid.bar([_date(d * DAY_MS) for d in days], [len(per_day[d]) for d in days], width=1.0, color=BENCHMARK_COLOUR,
                    label="members active that day")
        if activations:
            mid.scatter(activations, [0] * len(activations), marker="^", s=40, color=FLAGGED_COLOUR, zorder=3,
                        clip_on=False, label="activation after a silence")
        for target, points in sorted(weeks.items()):
            points.sort()
            low.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=3, label=f"@{figure_text(target)}")
        low.set_ylim(0, 100)
        for ax in (top, mid, low):
            if spans:
                ax.set_xlim(*spans[col])
            locator = mdates.AutoDateLocator(maxticks=5 if col == 0 and broken else 8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.grid(alpha=0.3)
            if broken and col == 0:
                ax.spines["right"].set_visible(False)
            if broken and col == 1:
                ax.spines["left"].set_visible(False)
                ax.tick_params(left=False)
    left = axes[:, 0]
    left[0].set_ylabel("accounts\ncreated / week", fontsize=8)
    left[1].set_ylabel("active\nmembers / day", fontsize=8)
    left[2].set_ylabel("% of target\nengagement / week", fontsize=8)
    right = axes[:, -1]
    if days or activations:
        right[1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    if weeks:
        right[2].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    else:
        right[2].text(0.5, 0.5, "no targets marked: no share to show", transform=right[2].transAxes, ha="center",
                      color="#777")
    title = f"Cluster {number}: created, dormant, activated together, amplifying"
    if broken:
        silent = (active_start - before[-1]).days
        title += f"  (axis broken: {silent} days from the last creation to the first action)"
        for ax in axes[:, 0]:
            ax.text(1.0, 0.5, "//", transform=ax.transAxes, ha="center", va="center", fontsize=11, color="#555",
                    clip_on=False)
    fig.suptitle(title, fontsize=10)
    return _png(fig)