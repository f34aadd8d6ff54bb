"""``coordgraph db clear``: empty the database on any server, keeping the server running."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import db
from ..config import Connection
from .common import connected, console

db_app = typer.Typer(help="The database as a whole.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``db`` group to the root app."""
    app.add_typer(db_app, name="db")


@db_app.command("clear")
@connected
def clear(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")] = False,
    *,
    conn: Connection,
) -> None:
    """Delete every node and relationship (10,000 nodes per transaction); constraints and indexes stay, and the
    server keeps running.

    The steady way to empty a database between loads: the server's compiled code stays warm, so the next load
    runs at the speed of the last one, where the first load after a server start (and so after `coordgraph
    server reset`) is slower. `server reset` gives back the disk space instead (the store and its logs are deleted).
    """
    with db.session_for(conn, require_gds=False) as driver:
        found = db.counts(driver, conn.database)
        where = f"{conn.uri}" + (f", database {conn.database}" if conn.database else "")
        console.print(f"{where} holds {found['nodes']:,} nodes and {found['relationships']:,} relationships.", highlight=False)
        if not found["nodes"]:
            console.print("Nothing to delete.")
            return
        if not yes and not typer.confirm("Delete them all?", default=False):
            console.print("Nothing deleted.")
            raise typer.Exit(1)
        deleted = db.clear(driver, conn.database)
    console.print(f"Deleted {deleted['nodes']:,} nodes and {deleted['relationships']:,} relationships; "
                  "constraints and indexes kept.", highlight=False)
