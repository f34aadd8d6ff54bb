"""``coordgraph ingest PATH...``: load twarc2, v1.1, IO archive, engagement CSV and status files."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import db
from ..config import Connection
from ..errors import InputError
from ..ingest import ingest_paths
from ..ingest.pipeline import DEFAULT_BATCH_SIZE
from .common import connected, console, err_console


class InputFormat(str, Enum):
    auto = "auto"
    twarc2 = "twarc2"
    v1 = "v1"
    io_archive = "io-archive"
    csv = "csv"
    status = "status"


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to the root app."""
    app.command(name="ingest")(ingest)


@connected
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to load; '-' reads stdin. Gzip is recognised anywhere.", show_default=False)],
    fmt: Annotated[InputFormat, typer.Option("--format", "-f", help="Input format; auto recognises each file from its content.")] = InputFormat.auto,
    rejects: Annotated[Optional[Path], typer.Option("--rejects", help="Write rejected rows here (.jsonl, or .csv for CSV). Default: a new file under <data folder>/rejects/.", show_default=False)] = None,
    max_rejects: Annotated[int, typer.Option("--max-rejects", min=0, help="Exit 0 as long as at most this many rows were rejected.")] = 0,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Events per write transaction.")] = DEFAULT_BATCH_SIZE,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    *,
    conn: Connection,
) -> None:
    """Load posts, engagements, profiles and status snapshots into the graph (idempotent: re-loading adds nothing).

    Stdin and inputs of 16 MB or more are parsed by a reader child process while this one writes (COORDGRAPH_INGEST_READER=inline keeps the parsing here, =process always uses the child).

    Exit codes: 0 loaded, 2 rows were rejected (more than --max-rejects) or an input was unreadable, 3 no connection.
    """
    with db.session_for(conn, require_gds=False) as driver:
        summary = ingest_paths(
            driver, paths, fmt=fmt.value, progress=not quiet, database=conn.database,
            batch_size=batch_size, rejects_path=rejects,
        )
    table = Table("file", "format", "rows", "loaded", "rejected", "skipped", "events", "events/s", title="Ingest summary")
    for f in summary.files:
        rate = f"{f.events / f.seconds:,.0f}" if f.seconds > 0 else ""
        table.add_row(_short(f.path), f.format, f"{f.rows:,}", f"{f.loaded:,}", f"{f.rejected:,}", f"{f.skipped:,}", f"{f.events:,}", rate)
    if len(summary.files) > 1:
        table.add_row("total", "", f"{summary.rows:,}", f"{summary.loaded:,}", f"{summary.rejected:,}", f"{summary.skipped:,}",
                      f"{summary.events:,}", f"{summary.events / summary.seconds:,.0f}" if summary.seconds > 0 else "")
    console.print(table)
    for f in summary.files:
        for reason, n in f.skip_reasons.most_common(5):
            console.print(f"skipped {n:,} in {_short(f.path)}: {reason}", highlight=False)
        if f.error:
            err_console.print(f"[red]{_short(f.path)}[/]: {f.error}", highlight=False)
    if summary.rejects_path:
        console.print(f"Rejected rows (file, line, field, reason): {summary.rejects_path}", highlight=False)
    if summary.rejected > max_rejects:
        raise InputError(
            f"{summary.rejected:,} row(s) rejected; the valid rows were loaded.",
            f"See {summary.rejects_path}. Use --max-rejects N to accept up to N rejected rows.",
        )


def _short(path: str) -> str:
    return path if len(path) <= 60 else "…" + path[-59:]
