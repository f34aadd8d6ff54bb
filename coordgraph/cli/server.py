"""``coordgraph server install|start|stop|reset|status|logs``: the managed local Neo4j + GDS + Browser."""

from __future__ import annotations

import typer

from .. import runtime
from ..config import managed_layout
from .common import console, handle_errors

server_app = typer.Typer(help="Manage the local Neo4j 5.26 + GDS + Browser server (no Docker needed).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``server`` group to the root app."""
    app.add_typer(server_app, name="server")


def print_login(layout) -> None:
    """Tell the user where Browser is and how to log in."""
    console.print(f"Neo4j Browser: [bold]{layout.browser_url}[/]", highlight=False)
    console.print(f"  Connect URL {layout.uri}, user neo4j, password in {layout.password_file}", highlight=False)
    console.print(f"  (print it with: cat {layout.password_file})", highlight=False)


@server_app.command()
@handle_errors
def install() -> None:
    """Download Neo4j, GDS and Browser from Maven Central into the data folder and set a random password.

    Idempotent and resumable: an interrupted install is completed by running it again.
    """
    layout = managed_layout()
    if runtime.install(layout, log=console.print):
        console.print(f"Installed into {layout.home}")
    else:
        console.print(f"Already installed in {layout.home}")
    console.print(f"Password file (mode 0600): {layout.password_file}", highlight=False)


@server_app.command()
@handle_errors
def start(timeout: float = typer.Option(180.0, help="Seconds to wait for readiness.")) -> None:
    """Start the server (installing it first if needed) and wait until Bolt and GDS answer."""
    layout = managed_layout()
    if not runtime.is_installed(layout):
        runtime.install(layout, log=console.print)
    started = runtime.start(layout, timeout=timeout, log=console.print)
    console.print("Neo4j is running." if started else "Neo4j was already running.")
    print_login(layout)


@server_app.command()
@handle_errors
def stop() -> None:
    """Shut the server down cleanly (SIGTERM, then wait)."""
    layout = managed_layout()
    console.print("Stopped." if runtime.stop(layout) else "Not running.")


@server_app.command()
@handle_errors
def reset(
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (for scripts)."),
    database: str = typer.Option("neo4j", "--database", help="The database to reset (Community Edition has one: neo4j)."),
) -> None:
    """Delete the managed server's database (every node, relationship, index and its transaction logs) and start
    again with an empty one; users and password are kept.

    Gives the disk space back (a delete keeps up to 1 GB of transaction logs). The server is started again, so the
    next load runs on a cold server (slower while its code compiles); between loads `coordgraph db clear` keeps it
    warm. The schema is built again on the next ingest.
    """
    layout = managed_layout()
    folders = runtime.database_paths(layout, database)
    console.print(f"This deletes database {database!r} of the managed server at {layout.home}:", highlight=False)
    for folder in folders:
        console.print(f"  {folder}", highlight=False)
    if not yes and not typer.confirm("Delete it?", default=False):
        console.print("Nothing deleted.")
        raise typer.Exit(1)
    deleted = runtime.reset_database(layout, database, log=console.print)
    console.print(f"Deleted {len(deleted)} folder(s); database {database!r} is empty"
                  + (" and the server is running." if runtime.read_pid(layout) else " (it is created when the server starts)."),
                  highlight=False)


@server_app.command()
@handle_errors
def status() -> None:
    """Running / stopped / not installed, with versions, addresses and data size."""
    layout = managed_layout()
    s = runtime.status(layout)
    console.print(f"state:    {s.state}" + (f" (pid {s.pid})" if s.pid else ""), highlight=False)
    console.print(f"home:     {s.home}", highlight=False)
    if s.neo4j_version:
        console.print(f"versions: Neo4j {s.neo4j_version} Community, GDS {s.gds_version}", highlight=False)
    console.print(f"bolt:     {s.bolt_uri}", highlight=False)
    console.print(f"browser:  {s.browser_url}", highlight=False)
    console.print(f"data:     {s.data_bytes / 1e6:.1f} MB", highlight=False)
    console.print(f"password: {layout.password_file}", highlight=False)
    if s.state != "running":
        raise typer.Exit(1 if s.state == "stopped" else 2)


@server_app.command()
@handle_errors
def logs(lines: int = typer.Option(50, "-n", help="How many lines of the log to print.")) -> None:
    """Print the end of the server's log."""
    layout = managed_layout()
    for name in ("neo4j.log", "console.log"):
        path = layout.home / "logs" / name
        if path.exists():
            for line in path.read_text(errors="replace").splitlines()[-lines:]:
                typer.echo(line)
            return
    console.print("No log yet.")
