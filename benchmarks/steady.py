"""Are repeated online loads steady? The same generated twarc2 file loaded ``--runs`` times into the managed
server, the database emptied before each run in one of three ways:

- ``delete``: ``DETACH DELETE`` of every node in transactions of 10,000 (what a user would do in Cypher);
- ``delete+checkpoint``: the same, then ``CALL db.checkpoint()`` so the delete's pages are flushed before the load;
- ``reset``: ``coordgraph server reset`` (the store and its transaction logs deleted, the server started again).

Then incremental loads: a base file loaded into a reset database, and a second file of new events timed on top.
Prints events/s of each run and the spread (slowest / fastest) per way; it is not a test.

    COORDGRAPH_HOME=... COORDGRAPH_BOLT_PORT=... .venv/bin/python benchmarks/steady.py --events 100000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import write_twarc2_pages  # noqa: E402

from coordgraph import db, runtime  # noqa: E402
from coordgraph.config import managed_layout, resolve_connection  # noqa: E402
from coordgraph.ingest import ingest_paths  # noqa: E402

DELETE_ALL = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def load(driver, path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    summary = ingest_paths(driver, [str(path)], progress=False, rejects_dir=tempfile.gettempdir())
    return summary.events, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000, help="events in the generated file")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ways", nargs="+", default=["delete", "delete+checkpoint", "reset"],
                    choices=["delete", "delete+checkpoint", "reset"])
    ap.add_argument("--incremental", type=int, default=3, help="incremental runs (0: none)")
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
    for way in args.ways:
        rates = []
        for run in range(args.runs):
            if way == "reset":
                runtime.reset_database(layout, log=lambda *_: None)
            driver = connect()
            if way.startswith("delete"):
                if run == 0:  # the runs of a delete way start from a full store, as a user's second load does
                    load(driver, data)
                with driver.session() as session:
                    session.run(DELETE_ALL).consume()
                    if way == "delete+checkpoint":
                        session.run("CALL db.checkpoint()").consume()
            events, seconds = load(driver, data)
            driver.close()
            rates.append(events / seconds)
            print(f"  {way} run {run + 1}: {events:,} events in {seconds:,.1f} s = {events / seconds:,.0f} events/s; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
        print(f"{way}: spread {max(rates) / min(rates):,.2f}x (slowest {min(rates):,.0f}, fastest {max(rates):,.0f} events/s)",
              flush=True)
    if args.incremental:
        more = work / "more.jsonl"
        write_twarc2_pages(more, args.events // 2, seed=11)
        rates = []
        for run in range(args.incremental):
            runtime.reset_database(layout, log=lambda *_: None)
            driver = connect()
            load(driver, data)
            events, seconds = load(driver, more)
            driver.close()
            rates.append(events / seconds)
            print(f"  incremental run {run + 1}: {events:,} new events on top of {args.events:,} in {seconds:,.1f} s = "
                  f"{events / seconds:,.0f} events/s; load average {os.getloadavg()[0]:.1f}", flush=True)
        print(f"incremental: spread {max(rates) / min(rates):,.2f}x (slowest {min(rates):,.0f}, fastest {max(rates):,.0f} events/s)")


if __name__ == "__main__":
    main()
