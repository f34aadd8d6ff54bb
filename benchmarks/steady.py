"""Are repeated online loads steady, and how fast are incremental ones? Prints figures; it is not a test.

The same generated twarc2 file is loaded ``--runs`` times into the managed server, the database emptied before
each run in one of these ways:

- ``delete``: ``DETACH DELETE`` of every node in transactions of 10,000 (what a user would do in Cypher);
- ``reset``: ``coordgraph server reset`` (the store and its transaction logs deleted, the server started again).

Then incremental loads: a base file loaded into a database emptied with ``coordgraph db clear`` (the server stays up),
and a second file of new events (another seed of the generator: the same accounts, new posts) timed on top. For every load it prints events/s and what the server did meanwhile: its CPU
seconds, the bytes it read and wrote (``/proc/<pid>/io``: page-cache misses and flushes become file reads and
writes), the checkpoints its ``debug.log`` records inside the load, and the store's size before it; with
``--profile``, the server time of each write statement per row and what is left for the commit, and the CPU
seconds of the loading process and of the reader process. Then the spread (slowest / fastest) per way.

    COORDGRAPH_HOME=... COORDGRAPH_BOLT_PORT=... .venv/bin/python benchmarks/steady.py --events 200000 --runs 3
    ... benchmarks/steady.py --events 200000 --ways --incremental 3 --profile --batch-size 5000 10000
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import write_twarc2_pages  # noqa: E402

from coordgraph import db, runtime  # noqa: E402
from coordgraph.config import managed_layout, resolve_connection  # noqa: E402
from coordgraph.ingest import ingest_paths, pipeline  # noqa: E402
from coordgraph.ingest.writer import GraphWriter  # noqa: E402

CHECKPOINT_DONE = re.compile(r'Checkpoint triggered by "([^"]+)".*completed in (\d+)ms\. Checkpoint flushed (\d+) pages')


@dataclass
class ServerProbe:
    """What the managed server did between :meth:`start` and :meth:`stop`: CPU, file I/O, checkpoints."""

    layout: object
    cpu: float = 0.0
    read_mb: float = 0.0
    write_mb: float = 0.0
    checkpoints: list[tuple[str, int, int]] = field(default_factory=list)  # (reason, ms, pages flushed)
    store_mb: float = 0.0
    threads: dict = field(default_factory=dict)  # CPU seconds by thread kind (THREAD_KINDS)

    def _process(self) -> psutil.Process:
        return psutil.Process(runtime.read_pid(self.layout))

    def start(self) -> None:
        proc = self._process()
        self._cpu, self._io, self._threads = sum(proc.cpu_times()[:2]), proc.io_counters(), thread_cpu(proc.pid)
        self._log_at = self._debug_log().stat().st_size
        self.store_mb = sum(folder_bytes(p) for p in runtime.database_paths(self.layout)) / 1e6

    def stop(self) -> None:
        proc = self._process()
        io = proc.io_counters()
        self.cpu = sum(proc.cpu_times()[:2]) - self._cpu
        threads = thread_cpu(proc.pid)
        self.threads = {kind: threads.get(kind, 0.0) - self._threads.get(kind, 0.0) for kind in THREAD_KINDS}
        self.read_mb = (io.read_chars - self._io.read_chars) / 1e6
        self.write_mb = (io.write_chars - self._io.write_chars) / 1e6
        with self._debug_log().open("rb") as log:
            log.seek(self._log_at)
            text = log.read().decode(errors="replace")
        self.checkpoints = [(m[1], int(m[2]), int(m[3])) for m in CHECKPOINT_DONE.finditer(text) if "[neo4j/" in
                            text[text.rfind("\n", 0, m.start()) + 1:m.start()]]

    def _debug_log(self) -> Path:
        return self.layout.home / "logs" / "debug.log"

    def describe(self) -> str:
        cps = ", ".join(f"{reason} {ms} ms {pages:,} pages" for reason, ms, pages in self.checkpoints) or "none"
        kinds = ", ".join(f"{kind} {seconds:,.1f}" for kind, seconds in self.threads.items())
        return (f"store before {self.store_mb:,.0f} MB; server CPU {self.cpu:,.1f} s ({kinds}), read {self.read_mb:,.0f} MB, "
                f"wrote {self.write_mb:,.0f} MB; checkpoints: {cps}")


# the server's threads by what they do, from their names: the JIT compilers (C1, C2), the Bolt workers running the
# queries and their commits, the garbage collector, and the rest
THREAD_KINDS = {"JIT": ("C1 CompilerThre", "C2 CompilerThre"), "queries": ("neo4j.BoltWorke",),
                "GC": ("GC Thread", "G1 "), "other": ()}


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of each thread kind of process ``pid`` so far (``/proc/<pid>/task/*/stat``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = dict.fromkeys(THREAD_KINDS, 0.0)
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a thread that ended meanwhile
            continue
        kind = next((k for k, prefixes in THREAD_KINDS.items() if any(name.startswith(p) for p in prefixes)), "other")
        out[kind] += (int(fields[11]) + int(fields[12])) / ticks
    return out


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


class StatementMeter:
    """Server time (``result_available_after + result_consumed_after``) and rows of each write statement, and the
    time of whole write transactions, gathered by wrapping the writer's transactions."""

    def __init__(self):
        self.ms: Counter = Counter()
        self.rows: Counter = Counter()
        self.tx_seconds = 0.0
        self.statement_seconds = 0.0
        self.batches = 0

    def install(self, monkey: list) -> None:
        meter = self
        original_create, original_session = GraphWriter._create_path, GraphWriter.__init__

        def create_path(writer, tx, batch, look_up):
            return original_create(writer, _TimedTx(tx, meter, {q: n for n, q in writer.queries.items()}), batch, look_up)

        def init(writer, driver, database=None):
            original_session(writer, _TimedDriver(driver, meter), database)

        GraphWriter._create_path, GraphWriter.__init__ = create_path, init
        monkey.append(lambda: (setattr(GraphWriter, "_create_path", original_create),
                               setattr(GraphWriter, "__init__", original_session)))

    def report(self, events: int) -> str:
        lines = [f"    {'statement':16} {'rows':>9} {'server ms':>10} {'us/row':>7} {'us/event':>9}"]
        for name, ms in self.ms.most_common():
            rows = self.rows[name]
            lines.append(f"    {name:16} {rows:>9,} {ms:>10,} {1000 * ms / max(rows, 1):>7.1f} {1000 * ms / events:>9.1f}")
        statements = sum(self.ms.values()) / 1000
        lines.append(f"    statements' server time {1e6 * statements / events:.1f} us/event; whole write transactions "
                     f"{1e6 * self.tx_seconds / events:.1f} us/event ({self.batches} transactions; the rest of the "
                     f"statements' client time and the commit {1e6 * (self.tx_seconds - self.statement_seconds) / events:.1f} us/event)")
        return "\n".join(lines)


class _TimedTx:
    def __init__(self, tx, meter: StatementMeter, names: dict[str, str]):
        self.tx, self.meter, self.names = tx, meter, names

    def run(self, query, parameters=None, **kw):
        name = self.names.get(query, "other")
        rows = sum(len(kw.get(ids) or []) for ids in ("rows", "account_ids", "tweet_ids", "retweet_ids"))
        started = time.perf_counter()
        return _TimedResult(self.tx.run(query, parameters, **kw), self.meter, name, rows, started)


class _TimedResult:
    def __init__(self, result, meter, name, rows, started):
        self.result, self.meter, self.name, self.rows, self.started = result, meter, name, rows, started

    def _count(self):
        summary = self.result.consume()
        self.meter.ms[self.name] += (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
        self.meter.rows[self.name] += self.rows
        self.meter.statement_seconds += time.perf_counter() - self.started
        return summary

    def consume(self):
        return self._count()

    def single(self, strict=False):
        record = self.result.single(strict=strict)
        self._count()
        return record


class _TimedDriver:
    def __init__(self, driver, meter):
        self.driver, self.meter = driver, meter

    def session(self, **kw):
        return _TimedSession(self.driver.session(**kw), self.meter)


class _TimedSession:
    def __init__(self, session, meter):
        self.session, self.meter = session, meter

    def __enter__(self):
        self.session.__enter__()
        return self

    def __exit__(self, *exc):
        return self.session.__exit__(*exc)

    def execute_write(self, work, *args):
        started = time.perf_counter()
        try:
            return self.session.execute_write(work, *args)
        finally:
            self.meter.tx_seconds += time.perf_counter() - started
            self.meter.batches += 1


def load(driver, path: Path, batch_size: int, probe: ServerProbe) -> tuple[int, float, float, float]:
    """Load ``path``; return events, seconds, and the CPU seconds of this process and of the reader process."""
    cpu, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    probe.start()
    started = time.perf_counter()
    summary = ingest_paths(driver, [str(path)], progress=False, rejects_dir=tempfile.gettempdir(), batch_size=batch_size)
    seconds = time.perf_counter() - started
    probe.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reader = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return summary.events, seconds, time.process_time() - cpu, reader


def empty(driver, way: str, layout) -> float:
    """Empty the database the way named; return the seconds it took."""
    started = time.perf_counter()
    if way == "reset":
        runtime.reset_database(layout, log=lambda *_: None)
    else:
        db.clear(driver)  # what `coordgraph db clear` does
    return time.perf_counter() - started


def spread(name: str, rates: list[float]) -> None:
    if rates:
        print(f"{name}: spread {max(rates) / min(rates):,.2f}x (slowest {min(rates):,.0f}, fastest {max(rates):,.0f} "
              f"events/s, mean {sum(rates) / len(rates):,.0f})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000, help="events in the generated file")
    ap.add_argument("--runs", type=int, default=3)
    # (`CALL db.checkpoint()` after the delete would be a third way; Community Edition has no such procedure)
    ap.add_argument("--ways", nargs="*", default=["delete", "reset"], choices=["delete", "reset"],
                    help="ways of emptying (none: skip this part)")
    ap.add_argument("--incremental", type=int, default=3, help="incremental runs (0: none)")
    ap.add_argument("--more", type=int, default=None, help="events of the incremental file (default: half of --events)")
    ap.add_argument("--batch-size", type=int, nargs="+", default=[pipeline.DEFAULT_BATCH_SIZE],
                    help="events per write transaction; several sizes are alternated in the incremental runs")
    ap.add_argument("--profile", action="store_true", help="server time per write statement in the incremental loads")
    args = ap.parse_args()
    conn = resolve_connection()
    if not conn.managed:
        sys.exit("steady.py needs the managed server (it resets its database)")
    layout = managed_layout()
    work = Path(tempfile.mkdtemp(prefix="coordgraph-steady-"))
    data = work / "pages.jsonl"
    write_twarc2_pages(data, args.events)
    connect = lambda: db.connect(resolve_connection(), require_gds=False)  # noqa: E731
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work slows every figure); "
          f"{args.events:,} events, heap {layout.heap}, page cache {layout.pagecache}", flush=True)
    probe = ServerProbe(layout)
    batch = args.batch_size[0]
    for way in args.ways:
        rates = []
        if way != "reset":  # the runs of a delete way start from a full store, as a user's second load does
            runtime.reset_database(layout, log=lambda *_: None)
            driver = connect()
            events, seconds, _, _ = load(driver, data, batch, probe)
            driver.close()
            print(f"  {way}: first fill after a server start, {events:,} events in {seconds:,.1f} s = "
                  f"{events / seconds:,.0f} events/s; {probe.describe()}", flush=True)
        for run in range(args.runs):
            driver = connect()
            emptied = empty(driver, way, layout)
            if way == "reset":
                driver.close()
                driver = connect()
            events, seconds, cpu, reader = load(driver, data, batch, probe)
            driver.close()
            rates.append(events / seconds)
            print(f"  {way} run {run + 1}: emptied in {emptied:,.1f} s; {events:,} events in {seconds:,.1f} s = "
                  f"{events / seconds:,.0f} events/s; load average {os.getloadavg()[0]:.1f}; {probe.describe()}; "
                  f"loader CPU {cpu:,.1f} s, reader CPU {reader:,.1f} s", flush=True)
        spread(way, rates)
    if args.incremental:
        more = work / "more.jsonl"
        write_twarc2_pages(more, args.more or args.events // 2, seed=11)  # the same accounts, new posts
        by_size: dict[int, list[float]] = {size: [] for size in args.batch_size}
        if not args.ways:  # a server just started compiles its code during the first loads: one load, untimed, first
            runtime.reset_database(layout, log=lambda *_: None)
            driver = connect()
            events, seconds, _, _ = load(driver, data, batch, probe)
            driver.close()
            print(f"  warm-up load after a server start: {events:,} events in {seconds:,.1f} s; {probe.describe()}", flush=True)
        for run in range(args.incremental):
            for size in args.batch_size:
                driver = connect()
                db.clear(driver)  # the server stays up, its compiled code warm
                load(driver, data, batch, probe)
                undo: list = []
                meter = StatementMeter()
                if args.profile:
                    meter.install(undo)
                try:
                    events, seconds, cpu, reader = load(driver, more, size, probe)
                finally:
                    for restore in undo:
                        restore()
                driver.close()
                by_size[size].append(events / seconds)
                print(f"  incremental run {run + 1}, batch {size:,}: {events:,} new events on top of {args.events:,} in "
                      f"{seconds:,.1f} s = {events / seconds:,.0f} events/s; load average {os.getloadavg()[0]:.1f}; "
                      f"{probe.describe()}; per event: server CPU {1e6 * probe.cpu / events:,.0f} us, loader CPU "
                      f"{1e6 * cpu / events:,.0f} us, reader CPU {1e6 * reader / events:,.0f} us", flush=True)
                if args.profile:
                    print(meter.report(events), flush=True)
        for size, rates in by_size.items():
            spread(f"incremental, batch {size:,}", rates)


if __name__ == "__main__":
    main()
