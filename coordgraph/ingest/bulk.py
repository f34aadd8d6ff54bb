"""First loads through the offline importer: inputs -> CSV files -> ``neo4j-admin database import full``.

Only for the managed server (its store is on this machine) and only into an empty database: Community Edition
has one user database, which the import replaces. The sequence: read the inputs into spooled facts
(:mod:`.import_files`; the server keeps running), check that the database is still empty and note its
constraints and indexes, stop the server while the facts are folded into import files, import, start it, and
build coordgraph's schema (one transaction) plus whatever other constraints and indexes the database had. Rejects, skipped rows, ``:Source`` provenance and the summary are
those of the online path (:func:`~.pipeline.ingest_paths`).
"""

from __future__ import annotations

import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from neo4j import Driver

from .. import cypher, db, runtime
from ..config import ServerLayout
from ..errors import InputError
from . import import_files as imp
from .pipeline import FileSummary, IngestSummary, RejectsFile, plan_inputs, rejects_file_path, sha256_of
from .records import Reject

AUTO_MIN_BYTES = 64 << 20  # below this much input a restart of the server costs more than the online load


class DatabaseNotEmpty(InputError):
    """``--bulk`` was asked for a database that holds something."""


def node_count(driver: Driver, database: str | None = None) -> int:
    """Nodes in the database (0 means a bulk load may replace it)."""
    return db.read(driver, "ingest/bulk_count", database=database)[0]["nodes"]


def input_bytes(paths) -> int:
    """Bytes of the inputs on disk (stdin counts as large: its size is unknown)."""
    summaries, to_read = plan_inputs(paths, "auto")
    total = 0
    for f in to_read:
        total += AUTO_MIN_BYTES if f.path == "-" else os.path.getsize(f.path)
    return total


def bulk_ingest_paths(
    driver: Driver,
    layout: ServerLayout,
    paths,
    fmt: str = "auto",
    rejects_dir: str | Path | None = None,
    log: Callable[[str], None] = print,
    database: str | None = None,
    *,
    batch_size: int = 5000,
    rejects_path: str | Path | None = None,
    workers: int | None = None,
    reconnect: Callable[[], Driver] | None = None,
) -> tuple[IngestSummary, Driver]:
    """Load ``paths`` into the empty database of the managed server ``layout`` through the offline importer.

    ``driver`` must be connected to that server; the server is stopped and started again, so the driver is
    closed and a new one (from ``reconnect``) is returned with the summary. Raises :class:`DatabaseNotEmpty`
    when the database holds any node (checked again right before the server is stopped).
    """
    started = time.perf_counter()
    target = database or "neo4j"
    summaries, to_read = plan_inputs(paths, fmt)
    if shutil.which("sort") is None:
        raise InputError("The bulk path orders the facts with `sort`, which is not on the PATH.", "Load online (--online).")
    if node_count(driver, database):
        raise DatabaseNotEmpty("The database is not empty: a bulk load would replace it.",
                               "Load online (without --bulk), or empty it first with `coordgraph db clear` or `coordgraph server reset`.")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    rejects = RejectsFile(rejects_file_path(rejects_dir, rejects_path, stamp))
    workers = workers or imp.default_workers()
    work = Path(tempfile.mkdtemp(prefix="bulk-", dir=_work_root(layout)))
    try:
        read_paths = [_materialise(f.path, work) for f in to_read]
        spool, tmp, out = work / "spool", work / "tmp", work / "import"
        for d in (spool, tmp, out):
            d.mkdir()
        parts = imp.plan_parts(read_paths, fmt, workers)
        log(f"Bulk load (database empty): reading {len(to_read)} input(s) as {len(parts)} part(s) in "
            f"{min(workers, len(parts))} process(es)")
        t, cpu = time.perf_counter(), _cpu_seconds()
        results = imp.read_all(parts, spool, batch_size, workers, {})
        retweets = out / "rel_RETWEETED.csv"
        header = imp.RETWEET_HEADER
        rt_file = imp._CsvFile(retweets, header)
        clashes = imp.fold_retweets(spool, tmp, rt_file)
        rt_file.close()
        if clashes:
            log(f"{len(clashes):,} retweet id(s) are given two different retweets in different parts: reading again "
                f"to reject them where the online load would")
            results = imp.read_all(parts, spool, batch_size, workers, clashes)
            rt_file = imp._CsvFile(retweets, header)
            if imp.fold_retweets(spool, tmp, rt_file):
                raise RuntimeError("retweet id clashes remained after reading again")
            rt_file.close()
        events = sum(r.events for r in results)
        cpu = _cpu_seconds() - cpu
        log(f"read {events:,} events in {time.perf_counter() - t:,.1f} s ({cpu:,.1f} CPU seconds: "
            f"{events / max(cpu, 1e-3):,.0f} events per CPU second)")
        # strict and as late as possible: anything written since the first check makes this refuse; the server is
        # stopped right after it, and stops while the facts are ordered and folded
        schema = _schema_of(driver, database)
        driver.close()
        t = time.perf_counter()
        log("stopping the server for the offline import; ordering and folding the facts meanwhile")
        with ThreadPoolExecutor(1) as pool:
            stopping = pool.submit(runtime.stop, layout)
            try:
                files = imp.fold_all(spool, out, tmp, log=lambda m: None, retweets=retweets)
                shutil.rmtree(spool)
                _summarise(summaries, to_read, results, rejects, stamp, out / "node_Source.csv")
                files.nodes["Source"] = out / "node_Source.csv"
                log(f"import files written in {time.perf_counter() - t:,.1f} s: "
                    + ", ".join(f"{n:,} {k}" for k, n in files.counts.items() if n))
                stopping.result()
                driver = _replace_database(layout, files, target, database, schema, log, reconnect)
            except BaseException:
                stopping.result()
                runtime.start(layout, log=lambda _m: None)
                raise
    finally:
        written = rejects.close()
        shutil.rmtree(work, ignore_errors=True)
    return IngestSummary(files=summaries, rejects_path=written, seconds=time.perf_counter() - started), driver


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the reader processes, once their pool is closed):
    the reading's cost apart from whatever else the machine runs."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _work_root(layout: ServerLayout) -> Path:
    root = layout.home / "import"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _materialise(path: str, work: Path) -> str:
    """Stdin is copied to a file first (the reader processes read files)."""
    if path != "-":
        return path
    import sys

    target = work / "stdin"
    with open(target, "wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
    return str(target)


def _summarise(summaries, to_read: list[FileSummary], results, rejects: RejectsFile, stamp: str, source_csv: Path) -> None:
    """Fill the per-input summaries, write the rejects in load order and the ``:Source`` nodes."""
    sources = []
    for index, summary in enumerate(to_read):
        mine = sorted((r for r in results if r.index == index), key=lambda r: r.seq)
        display = "<stdin>" if summary.path == "-" else summary.path
        t0 = datetime.now(timezone.utc)
        summary.sha256 = sha256_of(summary.path) if summary.path != "-" else None
        opened = mine[0]
        if opened.error is not None:
            summary.error, summary.rejected, summary.rows = opened.error, 1, 1
            rejects.add(display, Reject(0, None, opened.error))
            continue
        summary.format = opened.format
        for r in mine:
            summary.rows += r.rows
            summary.loaded += r.loaded
            summary.rejected += r.rejected
            summary.skipped += r.skipped
            summary.events += r.events
            summary.skip_reasons.update(r.skip_reasons)
            for line, field, reason, raw in r.rejects:
                rejects.add(display, Reject(line, field, reason, raw))
        now = imp.iso_ms(int(datetime.now(timezone.utc).timestamp() * 1000))
        sources.append({
            "key": f"sha256:{summary.sha256}" if summary.sha256 else f"stdin:{stamp}",
            "path": os.path.abspath(summary.path) if summary.path != "-" else "-", "sha256": summary.sha256,
            "format": summary.format, "loaded_at": imp.iso_ms(int(t0.timestamp() * 1000)), "rows": summary.rows,
            "loaded": summary.loaded, "rejected": summary.rejected, "skipped": summary.skipped,
            "events": summary.events, "rejects_file": str(rejects.path) if rejects.count else None,
            "completed": True, "finished_at": now,
        })
    imp.write_sources(source_csv, sources)


def _schema_of(driver: Driver, database: str | None) -> list[dict]:
    """The database's constraints and indexes, after checking (again) that it holds no node."""
    if node_count(driver, database):
        raise DatabaseNotEmpty("The database received data while the inputs were read: the bulk load stops here.",
                               "Load online (without --bulk).")
    return [r for name in ("ingest/bulk_constraints", "ingest/bulk_indexes") for r in db.read(driver, name, database=database)]


def _replace_database(layout: ServerLayout, files: imp.ImportFiles, target: str, database: str | None,
                      schema: list[dict], log, reconnect) -> Driver:
    """Import into the stopped server's database, start it, and build coordgraph's schema plus the other
    constraints and indexes the database had (``schema``); the new driver."""
    t = time.perf_counter()
    try:
        log(f"importing into database {target!r} (neo4j-admin database import full)")
        runtime.import_full(layout, files.nodes, files.relationships, database=target)
        log(f"imported in {time.perf_counter() - t:,.1f} s; starting the server")
    finally:
        t = time.perf_counter()
        runtime.start(layout, log=lambda _m: None)
    log(f"server started in {time.perf_counter() - t:,.1f} s")
    driver = reconnect()
    t = time.perf_counter()
    log("building constraints and indexes")
    build_schema(driver, database, schema)
    log(f"constraints and indexes online in {time.perf_counter() - t:,.1f} s")
    return driver


def build_schema(driver: Driver, database: str | None, schema: list[dict]) -> None:
    """Create coordgraph's constraints and indexes and the other ones the database had before (``schema``) on
    the imported database, and wait until all are online."""
    statements = cypher.statements("schema")
    with driver.session(database=database) as session:
        # one transaction for all of them, one wait for all their populations
        session.execute_write(lambda tx: [tx.run(statement).consume() for statement in statements])
    present = {r["name"] for name in ("ingest/bulk_constraints", "ingest/bulk_indexes")
               for r in db.read(driver, name, database=database)}
    with driver.session(database=database) as session:
        for r in schema:
            if r["name"] not in present and r["createStatement"]:
                session.run(r["createStatement"]).consume()  # the server's own text of a schema item it had
        session.run(cypher.load("ingest/bulk_await")).consume()
