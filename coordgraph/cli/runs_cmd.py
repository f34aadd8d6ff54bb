"""``coordgraph runs list|delete``: the analysis runs in the database."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import db, runs
from ..config import Connection
from .common import connected, console
from .output import OutputFormat, print_rows

runs_app = typer.Typer(help="List analysis runs, or delete one (its clusters, memberships and evidence edges).",
                       no_args_is_help=True)

RunRef = Annotated[str, typer.Argument(help="Run: an id, a unique id prefix, latest or latest~N (N runs before the latest).",
                                       show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the ``runs`` group to the root app."""
    app.add_typer(runs_app, name="runs")


@runs_app.command("list")
@connected
def list_(
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    *,
    conn: Connection,
) -> None:
    """List every run, latest first (the order `latest~N` counts), with its clusters and flagged clusters."""
    with db.session_for(conn, require_gds=False) as driver:
        rows = [{k: (str(v) if v is not None and k.endswith("_at") else v) for k, v in r.items()}
                for r in runs.list_runs(driver, database=conn.database)]
    print_rows(["run_id", "started_at", "finished_at", "status", "version", "clusters", "flagged"], rows, fmt.value)


@runs_app.command("delete")
@connected
def delete(
    run: RunRef,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    *,
    conn: Connection,
) -> None:
    """Delete one run: its Run node, clusters, memberships and evidence edges (accounts and posts stay)."""
    with db.session_for(conn, require_gds=False) as driver:
        run_id = runs.resolve(driver, run, database=conn.database)
        if not yes and not typer.confirm(f"Delete run {run_id}?"):
            raise typer.Exit(1)
        removed = runs.delete(driver, run_id, database=conn.database)
    console.print(f"Deleted run {run_id}: {removed['clusters']} cluster(s), {removed['memberships']} membership(s), "
                  f"{removed['edges']} evidence edge(s).", highlight=False)
