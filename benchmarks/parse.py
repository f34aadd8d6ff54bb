"""Parsing cost per event of twarc2 raw pages, without a database: the general decoding (every field, then the
record builders) against the typed decoding of :mod:`coordgraph.ingest.typed_pages`, alternated on the same
files, best of ``--repeat`` runs each; then the bulk path's reading of the same files (byte-range parts read in
this process, the fast route of :mod:`coordgraph.ingest.page_facts` included, spooled to a temporary folder) in CPU
microseconds per event. Prints microseconds per event; it is not a test.

    .venv/bin/python benchmarks/parse.py --events 50000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coordgraph.ingest import import_files, typed_pages  # noqa: E402
from coordgraph.ingest.reading import Chunk, read_inputs  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import SHARED, write_twarc2_pages  # noqa: E402


def parse_seconds(path: Path) -> tuple[float, int]:
    """Seconds to read ``path`` into bundles (chunks of 5,000) and the events found."""
    started = time.perf_counter()
    events = 0
    for message in read_inputs([str(path)], "auto", 5000):
        if type(message) is Chunk:
            events += sum(b.events for b in message.bundles)
    return time.perf_counter() - started, events


def bulk_part_cpu(path: Path, workdir: Path) -> tuple[float, int]:
    """CPU seconds of this process to read ``path`` as the bulk path's byte-range parts (two, one after the
    other), and the events found."""
    folder = workdir / "spool"
    folder.mkdir()
    started = time.process_time()
    results = [import_files.read_part(part, str(folder), 5000, {}) for part in import_files.plan_parts([str(path)], "auto", 2)]
    seconds = time.process_time() - started
    shutil.rmtree(folder)
    return seconds, sum(r.events for r in results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=50_000, help="events in the generated twarc2 file")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each decoding (the best is kept)")
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="coordgraph-parse-"))
    generated = workdir / "pages.jsonl"
    write_twarc2_pages(generated, args.events)
    inputs = [("generated pages (few unused fields)", generated)]
    real = SHARED / "twarc2-v2" / "twarc-network" / "tweets.jsonl"
    if real.exists():
        inputs.append(("real pages, twarc-network/tweets.jsonl (full API fields)", real))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work slows every figure)")
    for label, path in inputs:
        best = {True: float("inf"), False: float("inf")}
        events = 0
        for _ in range(args.repeat):
            for typed in (False, True):
                typed_pages.ENABLED = typed
                seconds, events = parse_seconds(path)
                best[typed] = min(best[typed], seconds)
        general, typed = best[False] / events * 1e6, best[True] / events * 1e6
        print(f"{label}: {events:,} events; general decoding {general:,.1f} us/event, typed {typed:,.1f} us/event "
              f"({general / typed:,.2f}x)", flush=True)
        typed_pages.ENABLED = True
        cpu, events = min(bulk_part_cpu(path, workdir) for _ in range(args.repeat))
        print(f"{label}: the bulk path's reading (parts, fast route) {cpu / events * 1e6:,.1f} us of CPU per event "
              f"(load average {os.getloadavg()[0]:.1f})", flush=True)
    generated.unlink()
    workdir.rmdir()


if __name__ == "__main__":
    main()
