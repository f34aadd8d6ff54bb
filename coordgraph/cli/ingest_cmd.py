"""``coordgraph ingest PATH...``: load twarc2, v1.1, IO archive, engagement CSV and status files."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import db
from ..config import Connection, managed_layout
from ..errors import InputError
from ..ingest import ingest_paths
from ..ingest.bulk import AUTO_MIN_BYTES, bulk_ingest_paths, input_bytes, node_count
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
    earliest: Annotated[Optional[str], typer.Option("--earliest", help="Reject times before this date (YYYY-MM-DD). Default: 2006-03-21 (Twitter's first post) for Twitter formats, 1990-01-01 for others.", show_default=False)] = None,
    latest: Annotated[Optional[str], typer.Option("--latest", help="Reject times after this date or time. Default: the time of this load plus a day.", show_default=False)] = None,
    bulk: Annotated[Optional[bool], typer.Option("--bulk/--online", help="--bulk: load through the offline importer (managed server only; refuses a database holding anything). --online: always write through Cypher. Default: bulk when the managed server's database is empty and the inputs are 64 MB or more.", show_default=False)] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Reader processes of a bulk load (default: one per core).", show_default=False)] = None,
    *,
    conn: Connection,
) -> None:
    """Load posts, engagements, profiles and status snapshots into the graph (idempotent: re-loading adds nothing).

    Into the managed server's empty database, inputs of 64 MB or more (or any, with --bulk) are loaded through Neo4j's offline importer: the server is stopped, the database replaced, the server started and the indexes built. Otherwise (and always on a remote server) batches are written through Cypher.

    Stdin and inputs of 16 MB or more are parsed by a reader child process while this one writes (COORDGRAPH_INGEST_READER=inline keeps the parsing here, =process always uses the child).

    Exit codes: 0 loaded, 2 rows were rejected (more than --max-rejects) or an input was unreadable, 3 no connection.
    """
    driver = db.connect(conn, require_gds=False)
    try:
        if _use_bulk(driver, conn, paths, bulk, earliest or latest):
            summary, driver = bulk_ingest_paths(
                driver, managed_layout(), paths, fmt=fmt.value, log=lambda m: console.print(m, highlight=False),
                database=conn.database, batch_size=batch_size, rejects_path=rejects, workers=workers,
                reconnect=lambda: db.connect(conn, require_gds=False),
            )
        else:
            summary = ingest_paths(
                driver, paths, fmt=fmt.value, progress=not quiet, database=conn.database,
                batch_size=batch_size, rejects_path=rejects, earliest=earliest, latest=latest,
            )
    finally:
        driver.close()
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


def _use_bulk(driver, conn, paths: list[str], bulk: bool | None, time_bounds_given: bool) -> bool:
    """Whether this load goes through the offline importer (see the --bulk option), saying why when it is asked
    for and cannot."""
    if bulk is False:
        return False
    if time_bounds_given:
        if bulk:
            console.print("Bulk load applies the default plausible times only; with --earliest/--latest, loading online.",
                          highlight=False)
        return False
    if not conn.managed:
        if bulk:
            console.print(f"Bulk load is not possible on a server that coordgraph does not manage ({conn.uri}): its store "
                          "is not on this machine. Loading online.", highlight=False)
        return False
    if bulk:
        return True  # the bulk path itself refuses a database that holds anything
    return input_bytes(paths) >= AUTO_MIN_BYTES and node_count(driver, conn.database) == 0


def _short(path: str) -> str:
    """A long path cut to its end on a terminal; whole when the output goes to a pipe or a file."""
    return path if len(path) <= 60 or not console.is_terminal else "…" + path[-59:]
