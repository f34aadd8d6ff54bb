"""``coordgraph cypher 'QUERY'`` (ad-hoc Cypher, like cypher-shell) and ``coordgraph schema``."""

from __future__ import annotations

import csv
import sys
from enum import Enum
from typing import Annotated, Optional

import orjson
import typer
from rich.table import Table

from .. import db
from ..adhoc import run_query
from .common import PasswordOption, UriOption, UserOption, connection, console, handle_errors, parse_params


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``cypher`` and ``schema`` to the root app."""
    app.command(name="cypher")(cypher)
    app.command(name="schema")(schema)


@handle_errors
def cypher(
    query: Annotated[str, typer.Argument(help="The Cypher query; use $name placeholders for values.")],
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="A parameter as key=value (JSON values are parsed). Repeatable.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    uri: UriOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
) -> None:
    """Run an ad-hoc Cypher query; values are passed as parameters, never pasted into the query."""
    conn = connection(uri, user, password)
    with db.session_for(conn, require_gds=False) as driver:
        keys, rows = run_query(driver, query, parse_params(param), database=conn.database)
    print_rows(keys, rows, fmt.value)


def print_rows(keys: list[str], rows: list[dict], fmt: str) -> None:
    """Print rows as a rich table, CSV or JSON lines."""
    if fmt == "json":
        for row in rows:
            sys.stdout.write(orjson.dumps(row, default=str).decode() + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(keys)
        for row in rows:
            writer.writerow([_cell(row[k]) for k in keys])
    else:
        table = Table(*keys, show_lines=False)
        for row in rows:
            table.add_row(*[_cell(row[k]) for k in keys])
        console.print(table)
        console.print(f"{len(rows)} row(s)", style="dim")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return orjson.dumps(value, default=str).decode()
    return str(value)


@handle_errors
def schema(uri: UriOption = None, user: UserOption = None, password: PasswordOption = None) -> None:
    """Create coordgraph's constraints and indexes (idempotent; ingest also does this)."""
    conn = connection(uri, user, password)
    with db.session_for(conn) as driver:
        db.ensure_schema(driver, database=conn.database)
    console.print("Schema is in place.")
