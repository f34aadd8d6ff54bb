"""The bulk path's Python side alone, no server: read a twarc2 file as ``coordgraph ingest --bulk`` does (line
ranges read by reader processes into spool files, the retweets folded), then fold the spools into the importer's
files; prints each stage's CPU seconds (the readers' and ``sort``'s included), microseconds per event, wall time,
the spooled lines, and the peak resident memory of this process, of the largest reader, and of the largest reader
or ``sort``. Not a test.

With ``--before DIR`` (the package root of another version, e.g. ``git archive main | tar -x -C DIR``) the two
versions run in turns on the same file, each in a fresh process, and the import files of each round are
compared byte for byte.

    .venv/bin/python benchmarks/bulk_files.py --file twarc2_1000000.jsonl --before /tmp/main --rounds 2
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def run_once(path: str, work: Path, workers: int) -> dict:
    """Read and fold ``path`` in ``work`` with the coordgraph found first on ``sys.path``; the stage figures."""
    from coordgraph.ingest import import_files as imp

    spool, tmp, out = work / "spool", work / "tmp", work / "import"
    for folder in (spool, tmp, out):
        folder.mkdir(parents=True)
    figures: dict = {"code": str(Path(imp.__file__).resolve().parents[2])}
    parts = imp.plan_parts([path], "auto", workers)
    own, children, wall = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    results = imp.read_all(parts, spool, 5000, workers, {})
    figures["peak_rss_mb_readers"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    retweets = out / "rel_RETWEETED.csv"
    rt_file = imp._CsvFile(retweets, imp.RETWEET_HEADER)
    if imp.fold_retweets(spool, tmp, rt_file):
        raise SystemExit("retweet ids with two different retweets: not what this benchmark measures")
    rt_file.close()
    figures["events"] = sum(r.events for r in results)
    figures["read_cpu"] = _cpu(resource.RUSAGE_SELF) - own + _cpu(resource.RUSAGE_CHILDREN) - children
    figures["read_wall"] = time.perf_counter() - wall
    lines = 0
    for f in spool.iterdir():
        with open(f, "rb") as fh:
            lines += sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    figures["spooled_lines"] = lines
    figures["spooled_mb"] = sum(f.stat().st_size for f in spool.iterdir()) / 1e6
    own, children, wall = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    imp.fold_all(spool, out, tmp, retweets=retweets)
    figures["fold_python_cpu"] = _cpu(resource.RUSAGE_SELF) - own
    figures["fold_sort_cpu"] = _cpu(resource.RUSAGE_CHILDREN) - children
    figures["fold_wall"] = time.perf_counter() - wall
    figures["peak_rss_mb_self"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_rss_mb_sort"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shutil.rmtree(spool)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", required=True, help="a twarc2 JSON-lines file of raw API pages")
    ap.add_argument("--before", type=Path, help="package root of another version, run in turns with this one")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2, help="reader processes (the bulk path uses one per core)")
    ap.add_argument("--work", type=Path, help="folder for the spools and import files (a temporary one by default)")
    ap.add_argument("--_one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._one:  # a child run: print the figures as JSON
        print(json.dumps(run_once(args.file, Path(args._one), args.workers)))
        return
    work = Path(tempfile.mkdtemp(prefix="coordgraph-bulk-files-", dir=args.work))
    versions = [("this", ROOT)] + ([("before", args.before.resolve())] if args.before else [])
    try:
        for round_no in range(1, args.rounds + 1):
            outputs = []
            for label, root in versions:
                target = work / f"{label}-{round_no}"
                env = {**os.environ, "PYTHONPATH": str(root)}
                load = os.getloadavg()[0]
                done = subprocess.run([sys.executable, __file__, "--file", args.file, "--workers", str(args.workers),
                                       "--_one", str(target)], env=env, check=True, capture_output=True, text=True)
                f = json.loads(done.stdout.strip().splitlines()[-1])
                per_event = 1e6 / max(f["events"], 1)
                print(f"round {round_no} {label} ({f['code']}), load average {load:.1f} -> {os.getloadavg()[0]:.1f}: "
                      f"{f['events']:,} events; reading {f['read_cpu']:.1f} CPU s ({f['read_cpu'] * per_event:.1f} us/event), "
                      f"{f['read_wall']:.1f} s wall; spooled {f['spooled_lines']:,} lines ({f['spooled_mb']:.0f} MB); "
                      f"folding {f['fold_python_cpu'] + f['fold_sort_cpu']:.1f} CPU s (Python {f['fold_python_cpu']:.1f}, "
                      f"sort {f['fold_sort_cpu']:.1f}), {f['fold_wall']:.1f} s wall; peak RSS this process "
                      f"{f['peak_rss_mb_self']:.0f} MB, largest reader {f['peak_rss_mb_readers']:.0f} MB, largest reader "
                      f"or sort {f['peak_rss_mb_sort']:.0f} MB", flush=True)
                outputs.append(target / "import")
            if len(outputs) == 2:
                names = sorted(p.name for p in outputs[0].iterdir())
                same = names == sorted(p.name for p in outputs[1].iterdir()) and all(
                    filecmp.cmp(outputs[0] / n, outputs[1] / n, shallow=False) for n in names)
                print(f"round {round_no}: import files {'identical' if same else 'DIFFERENT'}", flush=True)
            for target in outputs:
                shutil.rmtree(target.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
