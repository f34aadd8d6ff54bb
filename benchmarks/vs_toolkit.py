"""coordgraph against the QUT coordination-network-toolkit, side by side in one run, on the same twarc2 file.

For each size: the toolkit (PyPI ``coordination_network_toolkit`` 1.5.2, installed into a temporary venv)
runs ``preprocess --format twitter_json`` + ``compute co_retweet --time_window 60``; coordgraph runs its first
load (``coordgraph ingest`` into an empty database of its own managed server: the bulk path) + the co-retweet
network in the toolkit-compatible mode, written to CSV as ``coordgraph network co_retweet --compat cnt -o
file.csv`` writes it (``network.export_network(..., compat="cnt", window_s=60)``: the edges go to the file in parts
from integer arrays). The two alternate ``--rounds`` times; the best time of each is compared. Peak memory is
sampled for each tool's processes (the toolkit's SQLite runs inside its process; Neo4j's JVM is given separately).
CPU seconds are given beside the times (on a shared machine they grow far less with the other work than the times
do): the toolkit's processes; coordgraph's load and co-retweet processes (reader processes, ``sort`` and the
importer included) plus the restarted Neo4j server's (and the part of it spent while the co-retweet step ran). The two edge sets between different accounts must be
equal; self-loops are counted apart, as PyPI 1.5.2's query compares each retweet with itself too (no
``e_1.message_id != e_2.message_id``), so its table has a self-loop for every account that retweeted, while the
compat mode follows the repository's query (git daa0e11) and has only genuine ones.

    .venv/bin/python benchmarks/vs_toolkit.py --events 220000 1000000 --rounds 2

The managed server used has its own home (a temporary folder unless ``--home``) and ports (7742/7752 unless
``--bolt-port/--http-port``); its database is reset (deleted and created again) before each coordgraph round.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import write_twarc2_pages  # noqa: E402

from coordgraph import runtime  # noqa: E402
from coordgraph.config import ServerLayout  # noqa: E402

TOOLKIT = "coordination_network_toolkit==1.5.2"
COORETWEET = """
import sys
from coordgraph import db
from coordgraph.analytics import network
from coordgraph.config import resolve_connection
driver = db.connect(resolve_connection(), require_gds=False)
network.export_network(driver, "co_retweet", sys.argv[1], compat="cnt", window_s=60, minimum=1)
driver.close()
"""


class Peak:
    """Largest resident memory of a process tree (sampled every 50 ms) while a command runs."""

    def __init__(self, proc: subprocess.Popen, exclude: set[int] = frozenset()):
        self.proc, self.exclude, self.peak = proc, exclude, 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.proc.pid)
        except psutil.Error:
            return
        while self.proc.poll() is None:
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    # a bulk load restarts Neo4j as its own child: the JVM is reported apart
                    if p.pid not in self.exclude and p.name() != "java":
                        total += p.memory_info().rss
            except psutil.Error:
                pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)


def children_cpu() -> float:
    """CPU seconds of this process's finished children (and theirs, as each reaped its own)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str], env: dict | None = None, exclude: set[int] = frozenset(), log: Path | None = None) -> tuple[float, int, float]:
    """Run ``cmd``; return (seconds, peak RSS bytes of its process tree, CPU seconds of that tree). The CPU time
    does not grow with the machine's other work as the seconds do; it misses processes that outlive ``cmd`` (the
    Neo4j server a bulk load starts), which the caller adds."""
    started, cpu = time.perf_counter(), children_cpu()
    with open(log or os.devnull, "ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = Peak(proc, exclude)
        code = proc.wait()
    peak.thread.join()
    if code != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd[:4]))} ... failed with exit code {code}" + (f"; see {log}" if log else ""))
    return time.perf_counter() - started, peak.peak, children_cpu() - cpu


def toolkit_venv(folder: Path) -> Path:
    """A venv with the toolkit (created once in ``folder``)."""
    exe = folder / "bin" / "compute_networks"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(folder / "bin" / "pip"), "install", "-q", TOOLKIT], check=True)
    return exe


def toolkit_round(exe: Path, data: Path, work: Path) -> dict:
    db_file = work / "toolkit.db"
    db_file.unlink(missing_ok=True)
    out = work / "toolkit_co_retweet.csv"
    out.unlink(missing_ok=True)
    t1, m1, c1 = run([str(exe), str(db_file), "preprocess", "--format", "twitter_json", str(data)], log=work / "toolkit.log")
    t2, m2, c2 = run([str(exe), str(db_file), "compute", "co_retweet", "--time_window", "60", "--min_edge_weight", "1"],
                     log=work / "toolkit.log")
    # the edge table as it is (1.5.2's own csv export fails on an unexpected argument); self-loops included
    with sqlite3.connect(db_file) as con, open(out, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["user_1", "user_2", "weight"])
        writer.writerows(con.execute("SELECT user_1, user_2, weight FROM co_retweet_network"))
    return {"load": t1, "network": t2, "total": t1 + t2, "peak": max(m1, m2), "peak_load": m1, "peak_network": m2,
            "edges": out, "cpu": c1 + c2}


def coordgraph_round(layout: ServerLayout, env: dict, data: Path, work: Path, workers: int | None) -> dict:
    runtime.reset_database(layout, log=lambda *_: None)  # an empty, fresh store: the first load
    neo4j_pid = runtime.read_pid(layout)
    out = work / "coordgraph_co_retweet.csv"
    cmd = [str(ROOT / ".venv" / "bin" / "coordgraph"), "ingest", "-q", "--bulk", str(data)]
    if workers:
        cmd += ["--workers", str(workers)]
    t1, m1, c1 = run(cmd, env=env, exclude={neo4j_pid} if neo4j_pid else set(), log=work / "coordgraph.log")
    neo4j_pid = runtime.read_pid(layout)  # the bulk load restarted the server
    server = psutil.Process(neo4j_pid) if neo4j_pid else None
    before_step = sum(server.cpu_times()[:2]) if server else 0.0
    t2, m2, c2 = run([sys.executable, "-c", COORETWEET, str(out)], env=env, log=work / "coordgraph.log")
    jvm = server.memory_info().rss if server else 0
    # the restarted server's CPU from its start (indexes, the co-retweet queries) is not in c1 + c2: it outlives the
    # load; the stopped server's last seconds (its shutdown) are left out
    jvm_cpu = sum(server.cpu_times()[:2]) if server else 0.0
    return {"load": t1, "network": t2, "total": t1 + t2, "peak": max(m1, m2), "peak_load": m1, "peak_network": m2,
            "jvm": jvm, "edges": out,
            "cpu": c1 + c2 + jvm_cpu, "jvm_cpu": jvm_cpu, "jvm_cpu_step": jvm_cpu - before_step, "step_cpu": c2}


def edge_set(path: Path, a: str, b: str) -> set[tuple[str, str, int]]:
    with open(path, newline="") as fh:
        return {(str(r[a]), str(r[b]), int(float(r["weight"]))) for r in csv.DictReader(fh)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, nargs="+", default=[220_000], help="sizes (events) of generated twarc2 files")
    ap.add_argument("--file", type=Path, help="a twarc2 file to use instead of generated ones")
    ap.add_argument("--rounds", type=int, default=1, help="alternations of the two tools per size (best time kept)")
    ap.add_argument("--workers", type=int, help="coordgraph's reader processes (default: one per core)")
    ap.add_argument("--home", type=Path, help="coordgraph data folder for the benchmark's server (default: temporary)")
    ap.add_argument("--toolkit-venv", type=Path, help="where the toolkit's venv is (created if absent; default: temporary)")
    ap.add_argument("--bolt-port", type=int, default=7742)
    ap.add_argument("--http-port", type=int, default=7752)
    ap.add_argument("--heap", default=os.environ.get("COORDGRAPH_HEAP", "1500m"))
    ap.add_argument("--pagecache", default=os.environ.get("COORDGRAPH_PAGECACHE", "512m"))
    ap.add_argument("--keep-server", action="store_true", help="leave the benchmark's server running")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coordgraph-vs-toolkit-"))
    home = args.home.resolve() if args.home else work / "home"  # absolute: the server JVM runs elsewhere
    layout = ServerLayout(home=home / "server", password_file=home / "neo4j-password", bolt_port=args.bolt_port,
                          http_port=args.http_port, heap=args.heap, pagecache=args.pagecache)
    env = {**os.environ, "COORDGRAPH_HOME": str(home), "COORDGRAPH_BOLT_PORT": str(args.bolt_port),
           "COORDGRAPH_HTTP_PORT": str(args.http_port), "COORDGRAPH_HEAP": args.heap, "COORDGRAPH_PAGECACHE": args.pagecache}
    env.pop("NEO4J_URI", None)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work on the machine slows "
          f"both tools; compare the ratio, not the absolute times); Neo4j heap {args.heap}, page cache {args.pagecache}",
          flush=True)
    exe = toolkit_venv(args.toolkit_venv or work / "toolkit-venv")
    runtime.install(layout, log=lambda *_: None)
    runtime.start(layout, log=lambda *_: None)
    try:
        inputs = [(None, args.file)] if args.file else [(n, None) for n in args.events]
        for events, path in inputs:
            if path is None:
                path = work / f"twarc2_{events}.jsonl"
                events = write_twarc2_pages(path, events)
            size = path.stat().st_size
            best: dict[str, dict] = {}
            for round_no in range(args.rounds):
                for name in ("toolkit", "coordgraph"):
                    result = toolkit_round(exe, path, work) if name == "toolkit" else coordgraph_round(layout, env, path, work, args.workers)
                    print(f"  round {round_no + 1} {name}: load {result['load']:,.1f} s + co-retweet {result['network']:,.1f} s "
                          f"= {result['total']:,.1f} s, CPU {result['cpu']:,.1f} s"
                          + (f" (of which the restarted Neo4j server {result['jvm_cpu']:,.1f} s, {result['jvm_cpu_step']:,.1f} s "
                             f"of it during the co-retweet step; the step's own process {result['step_cpu']:,.1f} s)"
                             if "jvm_cpu" in result else "")
                          + f", peak RSS {result['peak'] / 1e6:,.0f} MB (load {result['peak_load'] / 1e6:,.0f}, "
                            f"co-retweet {result['peak_network'] / 1e6:,.0f})"
                          + (f" (+ Neo4j JVM {result['jvm'] / 1e6:,.0f} MB)" if "jvm" in result else "")
                          + f"; load average {os.getloadavg()[0]:.1f}", flush=True)
                    if name not in best or result["total"] < best[name]["total"]:
                        best[name] = result
            tk, cg = best["toolkit"], best["coordgraph"]
            toolkit_edges = edge_set(tk["edges"], "user_1", "user_2")
            coordgraph_edges = edge_set(cg["edges"], "user_1", "user_2")
            loops = {"toolkit": {e for e in toolkit_edges if e[0] == e[1]}, "coordgraph": {e for e in coordgraph_edges if e[0] == e[1]}}
            toolkit_edges -= loops["toolkit"]
            coordgraph_edges -= loops["coordgraph"]
            equal = toolkit_edges == coordgraph_edges
            rate = f"{events / cg['load']:,.0f}" if events else "?"  # --file: the events are not counted here
            print(f"{events or '?'} events ({size / 1e6:,.0f} MB): toolkit {tk['total']:,.1f} s "
                  f"(preprocess {tk['load']:,.1f} + co_retweet {tk['network']:,.1f}), coordgraph {cg['total']:,.1f} s "
                  f"(first load {cg['load']:,.1f} + co-retweet {cg['network']:,.1f}); coordgraph/toolkit = "
                  f"{cg['total'] / tk['total']:,.2f}x; load alone {cg['load'] / tk['load']:,.2f}x; CPU seconds toolkit "
                  f"{tk['cpu']:,.1f}, coordgraph {cg['cpu']:,.1f} ({cg['cpu'] / tk['cpu']:,.2f}x); "
                  f"events/s of the first load {rate}; peak RSS toolkit {tk['peak'] / 1e6:,.0f} MB, "
                  f"coordgraph Python {cg['peak'] / 1e6:,.0f} MB + Neo4j JVM {cg['jvm'] / 1e6:,.0f} MB; "
                  f"co-retweet edges between accounts {len(coordgraph_edges):,} vs {len(toolkit_edges):,}: "
                  f"{'EQUAL' if equal else 'DIFFERENT'}; self-loops {len(loops['coordgraph']):,} vs "
                  f"{len(loops['toolkit']):,}", flush=True)
            if not equal:
                print(f"  only toolkit: {sorted(toolkit_edges - coordgraph_edges)[:5]}; "
                      f"only coordgraph: {sorted(coordgraph_edges - toolkit_edges)[:5]}")
            if path != args.file:
                path.unlink()
    finally:
        if not args.keep_server:
            runtime.stop(layout)


if __name__ == "__main__":
    main()
