"""The ``coordgraph`` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import typer

from .. import __version__
from . import (
    cypher_cmd,
    db_cmd,
    demo_cmd,
    detect_cmd,
    impact_cmd,
    ingest_cmd,
    network_cmd,
    query_cmd,
    report_cmd,
    runs_cmd,
    server,
    targets_cmd,
)

app = typer.Typer(
    name="coordgraph",
    help="Find coordinated inauthentic amplification networks with Neo4j + Graph Data Science.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module adds its commands or sub-app to `app`.
for module in (server, db_cmd, cypher_cmd, ingest_cmd, targets_cmd, detect_cmd, network_cmd, impact_cmd, report_cmd, runs_cmd, query_cmd, demo_cmd):
    module.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coordgraph {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """coordgraph: load accounts, posts and engagements into Neo4j, detect coordination, export findings."""


def main() -> None:
    """Console-script entry point."""
    app()
