"""Peak memory, time and output of the co-retweet network's CSV step, this checkout against another, in turns.

Each round runs, for each package root (``--before DIR``, e.g. ``git archive <commit> | tar -x -C DIR``, then this
checkout), ``coordgraph network co_retweet --compat cnt -o FILE`` as a child process against the server the
environment names (``COORDGRAPH_HOME`` / ``NEO4J_URI`` ...), and prints its peak resident memory (the kernel's
``ru_maxrss`` of the child, as ``/usr/bin/time -v`` reports it), wall and CPU seconds and the load average at start
and end, and the managed server's CPU seconds during it (when the environment names a managed server); then
whether the two files are byte for byte the same. ``--restart`` stops and starts the managed server before each
run, so each meets what the step meets right after a bulk first load (a server just started: its JIT compilers
cold, its page cache empty). ``--snippet`` runs ``vs_toolkit.py``'s co-retweet
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

import psutil

ROOT = Path(__file__).resolve().parents[1]
CLI = "import sys; sys.path.insert(0, {root!r}); from coordgraph.cli.app import main; sys.argv[0] = 'coordgraph'; main()"


def snippet(root: Path) -> str:
    """The co-retweet step of ``root``'s ``vs_toolkit.py``, importing ``root``'s package."""
    text = (root / "benchmarks" / "vs_toolkit.py").read_text()
    code = re.search(r'COORETWEET = """(.*?)"""', text, re.S).group(1)
    return f"import sys; sys.path.insert(0, {str(root)!r})\n" + code


def server_process() -> psutil.Process | None:
    """The managed server's JVM, if the environment names a running one."""
    sys.path.insert(0, str(ROOT))
    from coordgraph import config, runtime

    pid = runtime.read_pid(config.managed_layout())
    return psutil.Process(pid) if pid else None


def restart() -> None:
    """Stop and start the managed server (its JIT compilers and page cache cold again)."""
    from coordgraph import config, runtime

    layout = config.managed_layout()
    runtime.stop(layout)
    runtime.start(layout, log=lambda *_: None)


def measure(cmd: list[str]) -> dict:
    """Run ``cmd``; its peak RSS (kB), wall and CPU seconds, load average before and after, and the managed
    server's CPU seconds meanwhile (None without one)."""
    server = server_process()
    server_cpu = sum(server.cpu_times()[:2]) if server else None
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} ... failed")
    return {"kb": usage.ru_maxrss, "wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
            "load": (load, os.getloadavg()[0]),
            "server_cpu": sum(server.cpu_times()[:2]) - server_cpu if server else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, required=True, help="package root of the version to compare with")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--snippet", action="store_true", help="vs_toolkit.py's co-retweet step instead of the command")
    ap.add_argument("--out", type=Path, help="folder for the CSV files (a temporary one unless given)")
    ap.add_argument("--restart", action="store_true", help="restart the managed server before each run")
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
            if args.restart:
                restart()
            r = measure(cmd)
            server = "" if r["server_cpu"] is None else f", server CPU {r['server_cpu']:.1f} s"
            print(f"round {n} {label:6} peak RSS {r['kb']:,} kB, wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s{server}, "
                  f"load average {r['load'][0]:.1f} -> {r['load'][1]:.1f}", flush=True)
        same = filecmp.cmp(files["before"], files["after"], shallow=False)
        print(f"round {n} files {'identical' if same else 'DIFFERENT'} ({files['before']}, {files['after']})")


if __name__ == "__main__":
    main()
