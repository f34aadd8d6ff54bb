"""``coordgraph report``: write a run's findings as HTML, PDF, Markdown, JSON, CSV, takedown list, GEXF or GraphML."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import db
from ..config import Connection
from ..report import FORMATS, write_report
from .common import connected, console

ReportFormat = Enum("ReportFormat", {f: f for f in FORMATS}, type=str)


def register(app: typer.Typer) -> None:
    """Add ``report`` to the root app."""
    app.command(name="report")(report)


@connected
def report(
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="html (one offline file: interactive cluster graphs, figures, dossiers), pdf (the HTML printed by headless Chromium), md (with figure files beside it), json (documented schema), csv (one row per flagged account), takedown (id, handle, cluster, evidence), gexf or graphml (Gephi).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.", dir_okay=False)],
    run: Annotated[Optional[str], typer.Option("--run", help="Run: an id, a unique id prefix, latest or latest~N (N runs before the latest); default the latest.", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Impact and activity only from this ISO date or time on; default the run's own range.", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Impact and activity only up to this ISO date (the whole day) or time; default the run's own range.", show_default=False)] = None,
    *,
    conn: Connection,
) -> None:
    """Write the findings of one detection run (the latest by default) to a file. The impact and the activity
    timelines cover the run's own time range, or --since/--until inside it; the report states the range."""
    with db.session_for(conn, require_gds=False) as driver:
        with console.status(f"Writing the {fmt.value} report…"):
            path = write_report(driver, run, fmt.value, output, database=conn.database, since=since, until=until)
    console.print(f"Wrote {path}", highlight=False)
