"""``coordgraph query NAME``: run a saved investigator query from the library; ``--list`` describes them."""

from __future__ import annotations

from typing import Annotated, Optional

import orjson
import typer
from rich.table import Table

from .. import db, querylib
from ..config import Connection
from .common import connected, console, fail, parse_params
from .output import OutputFormat, print_rows


def register(app: typer.Typer) -> None:
    """Add ``query`` to the root app."""
    app.command(name="query")(query)


@connected
def query(
    name: Annotated[Optional[str], typer.Argument(help="Saved query name (see --list).", show_default=False)] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="A parameter as key=value (JSON values are parsed). Repeatable.")] = None,
    list_: Annotated[bool, typer.Option("--list", "-l", help="Describe every saved query and its parameters.")] = False,
    show: Annotated[bool, typer.Option("--show", help="Print the query with its Browser :param lines instead of running it.")] = False,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    *,
    conn: Connection,
) -> None:
    """Run a saved Cypher query from coordgraph's investigator library (the same text pastes into Neo4j Browser)."""
    if list_ or name is None:
        if name is None and not list_:
            fail("Give a query name, or --list to see them.", "Example: coordgraph query runs")
        _print_catalogue()
        return
    saved = querylib.get(name)
    if show:
        typer.echo(saved.browser_params())
        typer.echo(saved.text.rstrip())
        return
    params = querylib.bind(saved, parse_params(param))
    with db.session_for(conn, require_gds=False) as driver:
        from ..adhoc import run_query

        keys, rows = run_query(driver, saved.text, params, database=conn.database)
    print_rows(keys, rows, fmt.value)


def _print_catalogue() -> None:
    table = Table("query", "what it shows", "parameters (default)", show_lines=True)
    for q in querylib.catalogue():
        params = "\n".join(
            f"{p.name}{' (required)' if p.required else ' = ' + orjson.dumps(p.example).decode()}: {p.description}"
            for p in q.parameters.values()
        )
        table.add_row(q.name, q.description, params or "–")
    console.print(table)
    console.print("Run one: coordgraph query NAME --param key=value   Paste into Browser: coordgraph query NAME --show",
                  style="dim", highlight=False)
