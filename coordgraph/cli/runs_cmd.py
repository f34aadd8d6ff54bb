"""``coordgraph runs``: list, show, delete and compare analysis runs. A run is named by its id, a unique prefix
of it, ``latest`` or ``latest~N``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from .. import db, runs
from ..config import Connection
from .common import connected, console
from .output import OutputFormat, print_rows

runs_app = typer.Typer(help="List, show, delete and compare analysis runs (RUN: an id, a unique prefix, latest or latest~N).",
                       no_args_is_help=True)

RunArgument = Annotated[str, typer.Argument(help="The run: its id, a unique prefix of it, latest or latest~N.")]


def register(app: typer.Typer) -> None:
    """Add the ``runs`` group to the root app."""
    app.add_typer(runs_app, name="runs")


@runs_app.command("list")
@connected
def list_runs(
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format (csv and json give one record per run).")] = OutputFormat.table,
    *,
    conn: Connection,
) -> None:
    """Every run, latest first (the order latest~N counts): id, start, status, parameters on one line, clusters,
    flagged clusters and flagged accounts."""
    from ..runview import overview

    with db.session_for(conn, require_gds=False) as driver:
        rows = overview(driver, conn.database)
    if fmt is not OutputFormat.table:
        keys = ["run_id", "started_at", "finished_at", "status", "version", "parameters", "clusters", "flagged",
                "flagged_accounts"]
        print_rows(keys, [{**r, "started_at": _time(r["started_at"]), "finished_at": _time(r["finished_at"]),
                           "parameters": r["params_line"], "flagged": r["flagged_clusters"]} for r in rows], fmt.value)
        return
    if not rows:
        console.print("No analysis run yet. Run `coordgraph detect`.")
        return
    table = Table("", "run", "started (UTC)", "status", "parameters", "clusters", "flagged", "accounts")
    for back, row in enumerate(rows):
        table.add_row(f"latest~{back}" if back else "latest", row["run_id"], _time(row["started_at"]), row["status"] or "",
                      row["params_line"], str(row["clusters"]), str(row["flagged_clusters"]), str(row["flagged_accounts"]))
    console.print(table)


@runs_app.command("show")
@connected
def show(run: RunArgument, *, conn: Connection) -> None:
    """One run: parameters, summary, clusters and evidence edges per signal."""
    from ..runview import details

    with db.session_for(conn, require_gds=False) as driver:
        info = details(driver, runs.resolve(driver, run, conn.database), conn.database)
    console.print(f"[bold]Run {info['run_id']}[/] ({info['status']}), started {_time(info['started_at'])}, "
                  f"finished {_time(info['finished_at'])}, coordgraph {info['version']}", highlight=False)
    console.print(f"Parameters: {info['params_line']}", highlight=False)
    params = Table("parameter", "value", title="All parameters")
    for key, value in (info["params"] or {}).items():
        params.add_row(key, json.dumps(value) if isinstance(value, (dict, list)) else str(value))
    console.print(params)
    clusters = Table("cluster", "size", "score", "p", "q", "coordinated", title="Clusters")
    for c in info["cluster_rows"]:
        clusters.add_row(str(c["number"]), str(c["size"]), f"{c['score']:.2f}", f"{c['p_value']:.2g}", f"{c['q_value']:.2g}",
                         "yes" if c["coordinated"] else "no")
    console.print(clusters)
    evidence = ", ".join(f"{s} {n:,}" for s, n in info["evidence"].items()) or "none"
    console.print(f"{info['clusters']} cluster(s), {info['flagged_clusters']} coordinated, {info['flagged_accounts']} "
                  f"account(s) flagged. Evidence edges: {evidence}.", highlight=False)


@runs_app.command("delete")
@connected
def delete(
    run: RunArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking (for scripts).")] = False,
    *,
    conn: Connection,
) -> None:
    """Delete one run: its Run node, clusters, memberships and evidence edges; nothing of other runs or the data."""
    from ..runview import footprint

    with db.session_for(conn, require_gds=False) as driver:
        run_id = runs.resolve(driver, run, conn.database)
        planned = footprint(driver, run_id, conn.database)
        console.print(f"Run {run_id}: {planned['clusters']} cluster(s), {planned['memberships']} membership(s), "
                      f"{planned['edges']} evidence edge(s) would be removed; accounts, posts and other runs stay.",
                      highlight=False)
        if not yes and not typer.confirm("Delete this run?", default=False):
            console.print("Nothing deleted.")
            raise typer.Exit(1)
        removed = runs.delete(driver, run_id, conn.database)
    console.print(f"Deleted run {run_id}: {removed['clusters']} cluster(s), {removed['memberships']} membership(s), "
                  f"{removed['edges']} evidence edge(s).", highlight=False)


@runs_app.command("diff")
@connected
def diff(run_a: RunArgument, run_b: RunArgument, *, conn: Connection) -> None:
    """What changed from RUN_A to RUN_B: accounts entering and leaving the flagged set, clusters split or merged."""
    from ..runview import diff as run_diff

    with db.session_for(conn, require_gds=False) as driver:
        a, b = runs.resolve(driver, run_a, conn.database), runs.resolve(driver, run_b, conn.database)
        d = run_diff(driver, a, b, conn.database)
    console.print(f"From run {a} to run {b}:", highlight=False)
    console.print(f"  entered the flagged set ({len(d.entered)}): {', '.join(d.entered) or '-'}", highlight=False)
    console.print(f"  left the flagged set ({len(d.left)}): {', '.join(d.left) or '-'}", highlight=False)
    console.print(f"  flagged in both: {len(d.stayed)}", highlight=False)
    for number, parts in d.splits.items():
        console.print(f"  split: cluster {number} of {a} -> clusters {', '.join(map(str, parts))} of {b}", highlight=False)
    for number, parts in d.merges.items():
        console.print(f"  merged: clusters {', '.join(map(str, parts))} of {a} -> cluster {number} of {b}", highlight=False)
    if not d.splits and not d.merges:
        console.print("  no flagged cluster split or merged", highlight=False)
    table = Table("signal", "evidence edges in A", "in B", title="Evidence")
    for signal, (in_a, in_b) in d.evidence.items():
        table.add_row(signal, f"{in_a:,}", f"{in_b:,}")
    console.print(table)


def _time(value) -> str:
    if value is None:
        return ""
    return str(value)[:19].replace("T", " ")
