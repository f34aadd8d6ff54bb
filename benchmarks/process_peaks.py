"""Peak resident memory of a command's process tree, and of each process in it: which process holds the memory.

Samples every 0.2 s (Java processes, i.e. Neo4j and its importer, left out as in ``vs_toolkit.py``); prints the
largest total with its parts at that moment, then each process's own peak. Not a test.

    .venv/bin/python benchmarks/process_peaks.py .venv/bin/coordgraph ingest --bulk twarc2_1000000.jsonl
"""

from __future__ import annotations

import collections
import subprocess
import sys
import time

import psutil


def main() -> int:
    proc = subprocess.Popen(sys.argv[1:])
    root = psutil.Process(proc.pid)
    best, best_parts, best_at = 0, [], 0.0
    own: dict[tuple[int, str], int] = collections.defaultdict(int)
    started = time.time()
    while proc.poll() is None:
        parts = []
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            tree = []
        for p in tree:
            try:
                if p.name() == "java":
                    continue
                parts.append((p.memory_info().rss, p.pid, " ".join(p.cmdline()[:3])[-70:]))
            except psutil.Error:
                pass  # ended between listing and reading
        for rss, pid, label in parts:
            own[(pid, label)] = max(own[(pid, label)], rss)
        total = sum(rss for rss, _, _ in parts)
        if total > best:
            best, best_parts, best_at = total, parts, time.time() - started
        time.sleep(0.2)
    print(f"peak of the tree {best / 1e6:,.0f} MB, {best_at:,.0f} s after the start:", file=sys.stderr)
    for rss, pid, label in sorted(best_parts, reverse=True):
        print(f"  {rss / 1e6:8,.0f} MB  pid {pid}  {label}", file=sys.stderr)
    print("each process's own peak:", file=sys.stderr)
    for (pid, label), rss in sorted(own.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {rss / 1e6:8,.0f} MB  pid {pid}  {label}", file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
