"""Peak memory, time and output of the co-retweet network's CSV step, this checkout against another, in turns.

Each round runs, for each package root (``--before DIR``, e.g. ``git archive <commit> | tar -x -C DIR``, then this
checkout), ``coordgraph network co_retweet --compat cnt -o FILE`` as a child process against the server the
environment names (``COORDGRAPH_HOME`` / ``NEO4J_URI`` ...), and prints its peak resident memory (the kernel's
``ru_maxrss`` of the child, as ``/usr/bin/time -v`` reports it), wall and CPU seconds and the load average at start
and end; then whether the two files are byte for byte the same. ``--snippet`` runs ``vs_toolkit.py``'s co-retweet
step of each root instead (the code in that root's ``benchmarks/vs_toolkit.py``; a version whose step wrote pandas'
five columns gives a different file from one that writes the command's). Not a test.

    COORDGRAPH_HOME=<5M-event home> .venv/bin/python benchmarks/coretweet_memory.py --before /tmp/before --rounds 2
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "import sys; sys.path.insert(0, {root!r}); from coordgraph.cli.app import main; sys.argv[0] = 'coordgraph'; main()"


def snippet(root: Path) -> str:
    """The co-retweet step of ``root``'s ``vs_toolkit.py``, importing ``root``'s package."""
    text = (root / "benchmarks" / "vs_toolkit.py").read_text()
    code = re.search(r'COORETWEET = """(.*?)"""', text, re.S).group(1)
    return f"import sys; sys.path.insert(0, {str(root)!r})\n" + code


def measure(cmd: list[str]) -> dict:
    """Run ``cmd``; its peak RSS (kB), wall and CPU seconds, load average before and after."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} ... failed")
    return {"kb": usage.ru_maxrss, "wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
            "load": (load, os.getloadavg()[0])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, required=True, help="package root of the version to compare with")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--snippet", action="store_true", help="vs_toolkit.py's co-retweet step instead of the command")
    ap.add_argument("--out", type=Path, help="folder for the CSV files (a temporary one unless given)")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="coretweet_memory_"))
    out.mkdir(parents=True, exist_ok=True)
    roots = {"before": args.before.resolve(), "after": ROOT}
    for n in range(1, args.rounds + 1):
        files = {}
        for label, root in roots.items():
            files[label] = out / f"{label}_{n}.csv"
            if args.snippet:
                cmd = [sys.executable, "-c", snippet(root), str(files[label])]
            else:
                cmd = [sys.executable, "-c", CLI.format(root=str(root)), "network", "co_retweet", "--compat", "cnt",
                       "-o", str(files[label])]
            r = measure(cmd)
            print(f"round {n} {label:6} peak RSS {r['kb']:,} kB, wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s, "
                  f"load average {r['load'][0]:.1f} -> {r['load'][1]:.1f}", flush=True)
        same = filecmp.cmp(files["before"], files["after"], shallow=False)
        print(f"round {n} files {'identical' if same else 'DIFFERENT'} ({files['before']}, {files['after']})")


if __name__ == "__main__":
    main()
