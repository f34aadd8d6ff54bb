"""``coordgraph targets add|list|remove``: mark the focal accounts whose amplification is studied."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from .. import db
from ..config import Connection
from ..errors import CoordgraphError
from ..ingest.targets import add_targets, list_targets, remove_targets
from .common import connected, console, err_console

targets_app = typer.Typer(help="Mark focal accounts (e.g. an ambassador and an embassy) as :Target.", no_args_is_help=True)

Accounts = Annotated[list[str], typer.Argument(help="Handles (with or without @, any case) or account ids.", show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the ``targets`` group to the root app."""
    app.add_typer(targets_app, name="targets")


@targets_app.command("add")
@connected
def add(accounts: Accounts, conn: Connection) -> None:
    """Mark accounts as targets. Exit code 1 when any of them is not in the graph (load data first)."""
    with db.session_for(conn, require_gds=False) as driver:
        rows = add_targets(driver, accounts, database=conn.database)
    _report(rows, "marked as target")


@targets_app.command("remove")
@connected
def remove(accounts: Accounts, conn: Connection) -> None:
    """Remove the target mark from accounts."""
    with db.session_for(conn, require_gds=False) as driver:
        rows = remove_targets(driver, accounts, database=conn.database)
    _report(rows, "no longer a target")


@targets_app.command("list")
@connected
def list_(conn: Connection) -> None:
    """List the target accounts."""
    with db.session_for(conn, require_gds=False) as driver:
        rows = list_targets(driver, database=conn.database)
    table = Table("id", "username", "name", "followers", "posts", title="Targets")
    for r in rows:
        table.add_row(r["id"], r["username"] or "", r["name"] or "", "" if r["followers"] is None else f"{r['followers']:,}", f"{r['posts']:,}")
    console.print(table)
    console.print(f"{len(rows)} target(s)", style="dim")


def _report(rows: list[dict], done: str) -> None:
    missing = [r["value"] for r in rows if not r["found"]]
    for r in rows:
        if r["found"]:
            console.print(f"{r['value']}: @{r['username'] or '?'} (id {r['id']}) {done}", highlight=False)
    if missing:
        err_console.print(f"Not found in the graph: {', '.join(missing)}", highlight=False)
        raise CoordgraphError(f"{len(missing)} account(s) not found.", "Load data that contains them first (coordgraph ingest).")
