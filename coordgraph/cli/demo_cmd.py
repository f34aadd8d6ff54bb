"""``coordgraph demo``: generate a scenario with a known answer, run the whole pipeline on it, and summarise."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .. import db
from ..config import Connection, managed_layout
from ..demo import DEMO_DAYS, DEMO_SCALE, DemoResult, Stage, browser_queries, run_demo
from ..synth import DIFFICULTIES
from .common import connected, console, fail

STATUS_STYLE = {"done": "green", "skipped": "yellow", "failed": "red", "running": "cyan", "pending": "dim"}


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the root app."""
    app.command(name="demo")(demo)


@connected
def demo(
    seed: Annotated[int, typer.Option("--seed", help="Scenario seed; the same seed gives byte-identical files.")] = 7,
    scale: Annotated[float, typer.Option("--scale", help="Population and activity multiplier (1.0 = about 3,600 organic accounts, 150k events).", min=0.01)] = DEMO_SCALE,
    difficulty: Annotated[str, typer.Option("--difficulty", help="easy, medium or hard: how well the network hides and how many hard negatives surround it.")] = "hard",
    days: Annotated[int, typer.Option("--days", help="Length of the period in days (the study's period was about 245).", min=21)] = DEMO_DAYS,
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder for the scenario files; default <data folder>/demo/seed-<seed>-<difficulty>-x<scale>.", show_default=False)] = None,
    report: Annotated[Optional[Path], typer.Option("--report", "-o", help="Where to write the HTML report; default <out>/report.html.", show_default=False)] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Delete everything in the database first, even data that did not come from a demo.")] = False,
    *,
    conn: Connection,
) -> None:
    """Generate a coordinated-amplification scenario (a planted network among thousands of organic accounts),
    ingest it, mark the targets, detect, measure impact, write the report, and compare with the ground truth.

    The demo needs an empty database: earlier demo data is cleared automatically, anything else only with --fresh.
    """
    if difficulty not in DIFFICULTIES:
        fail(f"--difficulty must be one of {', '.join(DIFFICULTIES)}.")
    with db.session_for(conn) as driver:
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console, transient=True) as bar:
            task = bar.add_task("detect", total=1.0, visible=False)

            def on_stage(stage: Stage) -> None:
                if stage.status == "running":
                    console.print(f"[cyan]▶[/] {stage.name} …")
                    if stage.name == "detect":
                        bar.update(task, visible=True)
                elif stage.status == "done":
                    if stage.name == "detect":
                        bar.update(task, visible=False)
                    console.print(f"[green]✓[/] {stage.name} ({stage.seconds:.0f} s): {stage.detail}", highlight=False)
                elif stage.status == "skipped":
                    console.print(f"[yellow]–[/] {stage.name} skipped: {stage.detail}", highlight=False)
                elif stage.status == "failed":
                    bar.update(task, visible=False)
                    console.print(f"[red]✗[/] {stage.name} failed: {stage.detail}", highlight=False)

            result = run_demo(
                driver, out_dir=out, seed=seed, scale=scale, difficulty=difficulty, report_path=report, fresh=fresh,
                database=conn.database, progress=True, on_stage=on_stage, days=days,
                detect_progress=lambda stage, fraction: bar.update(task, description=f"detect: {stage}", completed=fraction),
            )
    print_summary(result, conn.managed)
    if result.failed:
        fail(f"stage(s) failed: {', '.join(s.name for s in result.failed)}", "The stages before them completed; see the messages above.")


def _pct(value) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{100 * value:.1f} %"


def print_summary(result: DemoResult, managed: bool) -> None:
    """Stages, comparison with the ground truth, report path, Browser URL and queries."""
    stages = Table("stage", "status", "seconds", "detail", title="coordgraph demo")
    for s in result.stages:
        stages.add_row(s.name, f"[{STATUS_STYLE.get(s.status, 'white')}]{s.status}[/]", f"{s.seconds:.1f}" if s.seconds else "", s.detail)
    console.print(stages)
    truth = result.scenario.ground_truth()
    net = truth["network"]
    overall = truth["engagement"]["all_targets"]["overall"]
    console.print(
        f"Ground truth: {net['size']} network accounts ({net['burst_created']} created in bursts, "
        f"{len(net['low_activity'])} low-activity), statuses {net['status_counts']}; the network wrote "
        f"{_pct(overall['retweets']['share'])} of the targets' retweets and {_pct(overall['replies']['share'])} of their replies.",
        highlight=False,
    )
    ev = result.evaluation
    if ev is not None:
        table = Table("measure", "value", title="Found clusters vs ground truth")
        table.add_row("flagged accounts", str(ev["flagged"]))
        table.add_row("precision", _pct(ev["precision"]))
        table.add_row("recall", _pct(ev["recall"]))
        table.add_row("recall (without low-activity members)", _pct(ev["recall_without_low_activity"]))
        table.add_row("F1", f"{ev['f1']:.2f}")
        table.add_row("low-activity members found", f"{ev['low_activity_found']} of {ev['low_activity']}")
        for kind, n in ev["hard_negatives_flagged"].items():
            table.add_row(f"hard negatives flagged: {kind}", str(n))
        for c in ev["clusters"][:8]:
            table.add_row(f"cluster {c['number']}", f"{c['size']} accounts, {c['network_members']} from the network ({_pct(c['purity'])})")
        console.print(table)
    if result.impact is not None and len(result.impact):
        rows = result.impact[result.impact["group"] == "all flagged"]
        true_rows = result.extra.get("impact_of_true_network")
        table = Table("target", "flagged: retweets", "flagged: replies", "true network: retweets", "true network: replies",
                      title="Impact: share of each target's engagement")
        for row in rows.to_dict("records"):
            t = None
            if true_rows is not None and len(true_rows):
                match = true_rows[true_rows["target_id"] == row["target_id"]]
                t = match.iloc[0] if len(match) else None
            table.add_row(str(row["target"]), _pct(row["retweets_share"]), _pct(row["replies_share"]),
                          _pct(t["retweets_share"]) if t is not None else "–", _pct(t["replies_share"]) if t is not None else "–")
        console.print(table)
    if result.report_path:
        console.print(f"Report: [bold]{result.report_path}[/]", highlight=False)
    console.print(f"Scenario files and ground truth: {result.scenario.out_dir}", highlight=False)
    if managed:
        layout = managed_layout()
        console.print(f"Neo4j Browser: [bold]{layout.browser_url}[/] (user neo4j, password in {layout.password_file})", highlight=False)
    else:
        console.print("Neo4j Browser: open the Browser of the server you are connected to.")
    queries = browser_queries(result.run_id, result.scenario.target_handles[0])
    body = "\n\n".join(f"// {title}\n{text}" for title, text in queries)
    console.print(Panel(Text(body), title="Paste into Neo4j Browser", expand=False))
