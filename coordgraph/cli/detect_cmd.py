"""``coordgraph detect``: one analysis run (signals, communities, benchmark statistics, evidence)."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Optional

import pandas as pd
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import db
from ..analytics import routes
from ..config import Connection
from ..errors import CoordgraphError
from .common import connected, console


class Algorithm(str, Enum):
    leiden = "leiden"
    louvain = "louvain"
    wcc = "wcc"


def register(app: typer.Typer) -> None:
    """Add ``detect`` to the root app."""
    app.command(name="detect")(detect)


@connected
def detect(
    window: Annotated[float, typer.Option("--window", help="Co-action window in seconds (inclusive).", min=0)] = 60,
    min_repeat: Annotated[int, typer.Option("--min-repeat", help="Minimum distinct shared objects for a pair.", min=1)] = 2,
    signals: Annotated[
        Optional[list[str]],
        typer.Option("--signals", "-s", help="Signals to compute (repeatable or comma-separated); default all. See README."),
    ] = None,
    algorithm: Annotated[Algorithm, typer.Option("--algorithm", help="Community algorithm (GDS).")] = Algorithm.leiden,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (communities and the null).")] = 42,
    alpha: Annotated[float, typer.Option("--alpha", help="False-discovery rate for clusters and members.", min=0, max=1)] = 0.05,
    min_effect: Annotated[float, typer.Option(
        "--min-effect", min=1.0,
        help="Floor on the lower 95 % bound of observed / expected co-actions for a cluster (and each member) to count as coordinated.",
    )] = 2.0,
    min_in_step: Annotated[float, typer.Option(
        "--min-in-step", min=0.0, max=1.0,
        help="Floor on the lower 95 % bound of the share of a member's moments on the cluster's shared objects that are in step with another member.",
    )] = 0.5,
    wide_window: Annotated[float, typer.Option(
        "--wide-window", min=0,
        help="Second window in seconds at which a strong member not in step within --window is asked again (its in-step share at 97.5 %), e.g. 300; off when not wider than --window (default 0: off).",
    )] = 0,
    null_draws: Annotated[int, typer.Option("--null-draws", help="Monte-Carlo draws of the benchmark null.", min=99)] = 2000,
    sparse_groups: Annotated[bool, typer.Option(
        "--sparse-groups/--no-sparse-groups",
        help="Also test the groups proposed from the unthresholded co-action graph (large networks whose members rarely meet twice).",
    )] = True,
    corroborated: Annotated[bool, typer.Option(
        "--corroborated/--no-corroborated",
        help="Also confirm groups whose timing excess is significant with a lower bound of at least 1.5 (under --min-effect) when identity traces (creation bursts, profile templates, near-duplicate text) link most of their members far beyond random groups of the targets' other engagers.",
    )] = True,
    fast_window: Annotated[float, typer.Option("--fast-window", help="Narrower nested window in seconds: pairs and members that also co-act this fast are flagged on the evidence (0: off).", min=0)] = 10,
    since: Annotated[Optional[str], typer.Option("--since", help="Use only actions from this ISO date or time on (UTC unless a zone is given); recorded on the run.", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Use only actions up to this ISO date (the whole day) or time; recorded on the run.", show_default=False)] = None,
    all_clusters: Annotated[bool, typer.Option("--all", help="List clusters that did not pass the test too.")] = False,
    *,
    conn: Connection,
) -> None:
    """Detect coordinated clusters: co-action signals within a window, fused into one account graph, GDS
    communities, each cluster tested against the benchmark of other accounts engaging the same posts."""
    from ..analytics.detect import DetectParams
    from ..analytics.detect import detect as run_detect
    from ..timerange import parse_range

    chosen = tuple(s.strip() for item in (signals or []) for s in item.split(",") if s.strip()) or None
    params = DetectParams(window_s=window, min_repeat=min_repeat, signals=chosen, algorithm=algorithm.value, seed=seed,
                          alpha=alpha, n_null=null_draws, min_effect=min_effect, min_in_step=min_in_step, fast_window_s=fast_window,
                          wide_window_s=wide_window, since=since, until=until, sparse_groups=sparse_groups,
                          corroborated=corroborated)
    try:
        params.selected()
        parse_range(since, until)
    except ValueError as exc:
        raise CoordgraphError(str(exc), "Run `coordgraph detect --help`; signal names are listed in the README.") from exc
    with db.session_for(conn) as driver:
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console, transient=True) as bar:
            task = bar.add_task("starting", total=1.0)
            result = run_detect(
                driver, params, progress=lambda stage, frac: bar.update(task, description=stage, completed=frac), database=conn.database
            )
    _print_summary(result, all_clusters)


def _effect_text(row: dict) -> str:
    """Observed / expected co-actions with the 95 % interval, e.g. ``9.8 (8.1-11.9)``."""
    effect, low, high = row.get("effect"), row.get("effect_low"), row.get("effect_high")
    if effect is None or pd.isna(effect):
        return "-"
    return f"{effect:.2f} ({low:.2f}-{high:.2f})"


def _print_summary(result, all_clusters: bool) -> None:
    clusters = result.clusters
    shown = clusters if all_clusters else clusters[clusters["coordinated"]]
    alpha = result.params.alpha
    if not all_clusters and len(clusters):
        # clusters that pass the q-value but not the other tests are shown too, with the reason
        shown = clusters[clusters["coordinated"] | (clusters["q_value"] <= alpha)]
    table = Table("cluster", "size", "score", "effect (95 % interval)", "p", "q", "coordinated", "why not",
                  "strongest signals", "found by", title=f"Run {result.run_id}")
    for row in shown.to_dict("records"):
        route = routes.route_of(json.loads(row["signals"]) if isinstance(row["signals"], str) else None)
        table.add_row(
            str(row["number"]),
            str(row["size"]),
            f"{row['score']:.1f}",
            _effect_text(row),
            f"{row['p_value']:.2g}",
            f"{row['q_value']:.2g}",
            "yes" if row["coordinated"] else "no",
            row["reason"] or "",
            ", ".join(row["strongest_signals"]),
            routes.FOUND_BY[route][0],
        )
    console.print(table)
    for item in result.skipped:
        console.print(f"[yellow]Skipped[/] {item['stage']}: {item['reason']}.", highlight=False)
    n_flag = int(clusters["coordinated"].sum()) if len(clusters) else 0
    console.print(
        f"{len(clusters)} cluster(s) tested, {n_flag} coordinated, {len(result.flagged_accounts)} account(s) flagged, "
        f"{len(result.edges)} evidence edge(s). Run id: {result.run_id}"
    )
