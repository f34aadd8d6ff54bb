"""``coordgraph cypher 'QUERY'`` (ad-hoc Cypher, like cypher-shell) and ``coordgraph schema``."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import db
from ..adhoc import run_query
from ..config import Connection
from .common import connected, console, parse_params
from .output import OutputFormat, print_rows


def register(app: typer.Typer) -> None:
    """Add ``cypher`` and ``schema`` to the root app."""
    app.command(name="cypher")(cypher)
    app.command(name="schema")(schema)


@connected
def cypher(
    query: Annotated[str, typer.Argument(help="The Cypher query; use $name placeholders for values.")],
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="A parameter as key=value (JSON values are parsed). Repeatable.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    *,
    conn: Connection,
) -> None:
    """Run an ad-hoc Cypher query; values are passed as parameters, never pasted into the query."""
    with db.session_for(conn, require_gds=False) as driver:
        keys, rows = run_query(driver, query, parse_params(param), database=conn.database)
    print_rows(keys, rows, fmt.value)


@connected
def schema(conn: Connection) -> None:
    """Create coordgraph's constraints and indexes (idempotent; ingest also does this)."""
    with db.session_for(conn) as driver:
        db.ensure_schema(driver, database=conn.database)
    console.print("Schema is in place.")
