"""``ingest_paths``: read every input, write it in batches, record provenance and rejects, and summarise."""

from __future__ import annotations

import csv
import hashlib
import os
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import orjson
from neo4j import Driver

from .. import db
from ..config import project_home
from ..errors import InputError
from .reading import Chunk, Finished, Opened, TimeLimits, stream_inputs
from .records import Reject
from .sources import FORMATS, not_data_reason
from .values import BadValue, parse_day
from .writer import GraphWriter

DEFAULT_BATCH_SIZE = 5000


@dataclass
class FileSummary:
    """What happened to one input."""

    path: str
    format: str = "unknown"
    rows: int = 0
    loaded: int = 0
    rejected: int = 0
    skipped: int = 0
    events: int = 0
    sha256: str | None = None
    seconds: float = 0.0
    skip_reasons: Counter = field(default_factory=Counter)
    error: str | None = None


@dataclass
class IngestSummary:
    """Per-file counts, the rejects file (None when nothing was rejected) and the totals."""

    files: list[FileSummary]
    rejects_path: Path | None
    seconds: float

    @property
    def events(self) -> int:
        """Posts and engagements written."""
        return sum(f.events for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


class RejectsFile:
    """The readable list of rejected input: JSON lines, or CSV when the name ends in ``.csv``; created on first use."""

    COLUMNS = ("file", "line", "field", "reason", "raw")

    def __init__(self, path: Path):
        self.path = path
        self._fh = None
        self._csv = None
        self.count = 0
        self.lock = threading.Lock()  # the writer thread adds conflicts while the reader adds bad rows

    def add(self, file: str, reject: Reject) -> None:
        with self.lock:
            self._add(file, reject)

    def _add(self, file: str, reject: Reject) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in close()
            if self.path.suffix.lower() == ".csv":
                self._csv = csv.writer(self._fh)
                self._csv.writerow(self.COLUMNS)
        row = (file, reject.line, reject.field, reject.reason, reject.raw)
        if self._csv is not None:
            self._csv.writerow(row)
        else:
            self._fh.write(orjson.dumps(dict(zip(self.COLUMNS, row))).decode() + "\n")
        self.count += 1

    def close(self) -> Path | None:
        if self._fh is not None:
            self._fh.close()
            return self.path
        return None


def expand_paths(paths: list[str | Path]) -> list[tuple[str, bool]]:
    """Files to read as ``(path, found_in_folder)``: folders are walked (sorted; hidden files ignored); ``-`` is stdin."""
    out: list[tuple[str, bool]] = []
    for p in paths:
        p = str(p)
        if p != "-" and os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out.extend((os.path.join(root, f), True) for f in sorted(files) if not f.startswith("."))
        else:
            out.append((p, False))
    return out


def _as_time(value: str | datetime | None, option: str) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return parse_day(value, option)
    except BadValue as exc:
        raise InputError(f"{option}: {exc.reason}", "Give a date such as 2006-03-21 or a time such as 2021-06-01T12:00:00Z.") from None


def sha256_of(path: str) -> str:
    """Hex SHA-256 of a file's bytes (as stored, compressed or not)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def plan_inputs(paths, fmt: str) -> tuple[list[FileSummary], list[FileSummary]]:
    """Check ``fmt`` and the paths; return a summary per file found and, of those, the ones to read (files met in
    a folder that are not data, such as notes or R data, are summarised as skipped and not read)."""
    if fmt not in FORMATS:
        raise InputError(f"Unknown format {fmt!r}.", f"Known formats: {', '.join(FORMATS)}.")
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files = expand_paths(list(paths))
    if not files:
        raise InputError("No input files given.")
    for f, _ in files:
        if f != "-" and not os.path.isfile(f):
            raise InputError(f"Input not found: {f}")
    summaries: list[FileSummary] = []
    to_read: list[FileSummary] = []
    for path, in_folder in files:
        not_data = not_data_reason(path) if in_folder else None
        if not_data:
            # notes, R data, images, graph exports found beside the data in a folder: not inputs
            summaries.append(FileSummary(path=path, format="not data", rows=1, skipped=1,
                                         skip_reasons=Counter({f"not a data file: {not_data}": 1})))
        else:
            summaries.append(FileSummary(path=path))
            to_read.append(summaries[-1])
    return summaries, to_read


def rejects_file_path(rejects_dir: str | Path | None, rejects_path: str | Path | None, stamp: str) -> Path:
    """``rejects_path``, else a new ``rejects-<stamp>.jsonl`` in ``rejects_dir`` (default ``<data folder>/rejects``)."""
    if rejects_path is not None:
        return Path(rejects_path)
    folder = Path(rejects_dir) if rejects_dir else project_home() / "rejects"
    return folder / f"rejects-{stamp}.jsonl"


def ingest_paths(
    driver: Driver,
    paths,
    fmt: str = "auto",
    rejects_dir: str | Path | None = None,
    progress: bool | Callable[[dict], None] = True,
    database: str | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    rejects_path: str | Path | None = None,
    reader_in_process: bool | None = None,
    demo: str | None = None,
    earliest: str | datetime | None = None,
    latest: str | datetime | None = None,
) -> IngestSummary:
    """Load every input in ``paths`` (files, directories, ``-`` for stdin; gzip anywhere) into the graph.

    ``fmt`` is ``auto`` or one of :data:`FORMATS`. Bad rows go to a rejects file (``rejects_path``, else a new
    ``rejects-<time>.jsonl`` in ``rejects_dir``, default ``<data folder>/rejects``) and valid rows still load.
    ``progress`` is True for a rich progress bar, False for none, or a callable receiving progress dicts.
    The schema is applied first; writes are idempotent, batched ``batch_size`` events per transaction. Large
    inputs are parsed by a child process (:mod:`.reading`); ``reader_in_process`` forces one way or the other.
    Times outside the plausible range are rejected: before Twitter's first post (2006-03-21) for Twitter's
    formats, before 1990-01-01 for others, or after the load's time plus a day; ``earliest``/``latest`` (a date
    or time) replace these bounds. ``demo`` is set by the demo only: the checksum of its scenario, recorded as ``demo`` on each :Source so that
    demo data is known by this mark (any other load records none, and re-loading a file clears it).
    """
    limits = TimeLimits.now(_as_time(earliest, "--earliest"), _as_time(latest, "--latest"))
    summaries, to_read = plan_inputs(paths, fmt)
    db.ensure_schema(driver, database=database)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    rejects = RejectsFile(rejects_file_path(rejects_dir, rejects_path, stamp))
    writer = GraphWriter(driver, database)
    started = time.perf_counter()
    reporter = _Reporter(progress)
    try:
        with reporter, ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer") as pool:
            load = _Load(driver, database, writer, pool, rejects, reporter, stamp, demo)
            messages = stream_inputs([f.path for f in to_read], fmt, batch_size, in_process=reader_in_process, limits=limits)
            try:
                for message in messages:
                    load.handle(to_read[message.index], message)
            finally:
                messages.close()
                load.drain()
    finally:
        written = rejects.close()
    return IngestSummary(files=summaries, rejects_path=written, seconds=time.perf_counter() - started)


class _Load:
    """The parent side of a load: records each input as a :Source, writes its chunks (one batch in flight on the
    writer thread while the next chunk arrives), files its rejects and keeps its summary."""

    def __init__(self, driver, database, writer: GraphWriter, pool: ThreadPoolExecutor, rejects: RejectsFile, reporter, stamp: str,
                 demo: str | None = None):
        self.driver, self.database, self.writer, self.pool = driver, database, writer, pool
        self.rejects, self.reporter, self.stamp, self.demo = rejects, reporter, stamp, demo
        self.pending: tuple[FileSummary, Future] | None = None
        # the input being read (inputs are read one after another): its progress task, :Source key and start time
        self.task: Any = None
        self.key: str | None = None
        self.started = 0.0

    def handle(self, summary: FileSummary, message: Opened | Chunk | Finished) -> None:
        if type(message) is Chunk:
            self._chunk(summary, message)
        elif type(message) is Opened:
            self._opened(summary, message)
        else:
            self._finished(summary, message)

    def _display(self, summary: FileSummary) -> str:
        return "<stdin>" if summary.path == "-" else summary.path

    def _opened(self, summary: FileSummary, message: Opened) -> None:
        self.started = time.perf_counter()
        summary.sha256 = sha256_of(summary.path) if summary.path != "-" else None
        if message.error is not None:
            summary.error = message.error
            summary.rejected = 1
            summary.rows = 1
            self.rejects.add(self._display(summary), Reject(0, None, message.error))
            return
        summary.format = message.format
        self.key = f"sha256:{summary.sha256}" if summary.sha256 else f"stdin:{self.stamp}"
        db.write(self.driver, "ingest/source_start", database=self.database, key=self.key,
                 path=os.path.abspath(summary.path) if summary.path != "-" else "-", sha256=summary.sha256, format=message.format,
                 demo=self.demo)
        self.task = self.reporter.start(self._display(summary), message.size)

    def _chunk(self, summary: FileSummary, chunk: Chunk) -> None:
        display = self._display(summary)
        summary.rows += chunk.rows
        summary.loaded += len(chunk.bundles)
        for reject in chunk.rejects:
            with self.rejects.lock:
                summary.rejected += 1
            self.rejects.add(display, reject)
        summary.skipped += sum(chunk.skips.values())
        summary.skip_reasons.update(chunk.skips)
        if chunk.bundles:
            self.drain()

            def on_reject(r: Reject, whole_row: bool) -> None:
                with self.rejects.lock:
                    summary.rejected += 1
                    if whole_row:
                        summary.loaded -= 1
                self.rejects.add(display, r)

            self.pending = (summary, self.pool.submit(self.writer.write, chunk.bundles, on_reject))
        self.reporter.update(self.task, chunk.position, summary.events)

    def drain(self) -> None:
        """Wait for the batch in flight and count its events."""
        if self.pending is not None:
            summary, future = self.pending
            self.pending = None
            summary.events += future.result()

    def _finished(self, summary: FileSummary, message: Finished) -> None:
        self.drain()
        self.reporter.update(self.task, message.position, summary.events, done=True)
        summary.seconds = time.perf_counter() - self.started
        db.write(self.driver, "ingest/source_finish", database=self.database, key=self.key, rows=summary.rows, loaded=summary.loaded,
                 rejected=summary.rejected, skipped=summary.skipped, events=summary.events, sha256=summary.sha256,
                 rejects_file=str(self.rejects.path) if self.rejects.count else None, completed=True)


def _progress_console():
    """Rich's console on a terminal; one wide enough for whole paths when the output is a pipe or a file."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=100_000)


class _Reporter:
    """A rich progress bar per file (bytes read, events/s, ETA when the size is known), or a callback."""

    def __init__(self, progress):
        self.callback = progress if callable(progress) else None
        self.progress = None
        if progress is True:
            from rich.progress import (
                BarColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
                TextColumn("{task.fields[events]:,} events"), TextColumn("{task.fields[rate]:,.0f} events/s"),
                TimeElapsedColumn(), TimeRemainingColumn(), transient=False, console=_progress_console(),
            )
        self.t0: dict[Any, float] = {}

    def __enter__(self):
        if self.progress is not None:
            self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.__exit__(*exc)

    def start(self, name: str, size: int | None):
        cut = self.progress is not None and self.progress.console.is_terminal  # a pipe or log file gets the whole path
        label = "…" + name[-39:] if cut and len(name) > 40 else name
        task = self.progress.add_task(label, total=size, events=0, rate=0.0) if self.progress is not None else name
        self.t0[task] = time.perf_counter()
        return task

    def update(self, task, position: int, events: int, done: bool = False) -> None:
        rate = events / max(time.perf_counter() - self.t0[task], 1e-6)
        if self.progress is not None:
            self.progress.update(task, completed=position, events=events, rate=rate)
        if self.callback is not None:
            self.callback({"file": task, "position": position, "events": events, "rate": rate, "done": done})
