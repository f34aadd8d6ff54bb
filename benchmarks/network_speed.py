"""Network export speed: ``coordgraph network co_retweet`` writing a file, beside coordination-network-toolkit's
``compute co_retweet`` on the same events. Prints figures; not a test.

The events are the seeded retweets of ``detect_speed.py`` (default 220,000). Each side is timed as the whole
command a user runs, process start included: ``coordgraph network co_retweet --window 60 --min-weight 1 -o
FILE`` for every output format and compat mode, and ``compute_networks DB compute co_retweet --time_window 60
--min_edge_weight 1`` (the toolkit's own preprocessing into its SQLite file is not counted). Each command runs
``--repeat`` times, the commands in turn round after round so that every side meets the same load on a shared
machine; the minimum, median and every time are printed, with the ratio to the toolkit's median and the one-minute
load average at the start and the end.

``--stages`` also times the native CSV export's stages in this process (events export, pairing, edge table,
CSV writing), ``--repeat`` times each, to show where the time goes; ``--formats`` picks the native outputs timed.

Usage: python benchmarks/network_speed.py [--events 220000] [--repeat 3] [--skip-toolkit] [--reuse] [--modes native,cnt,coortweet]
       [--formats csv,graphml,gexf] [--stages]
Needs a Neo4j + GDS reachable through NEO4J_URI/NEO4J_PASSWORD (or the managed server); it wipes the database
(``--reuse`` keeps a database that already holds the same generated events).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from detect_speed import _retweet_count, load, make_events, toolkit_preprocessed  # noqa: E402

from coordgraph import db  # noqa: E402
from coordgraph.config import resolve_connection  # noqa: E402


def load_now() -> str:
    """The one-minute load average, for the printed figures."""
    return f"{os.getloadavg()[0]:.1f}"


def run_once(cmd: list[str], env: dict | None = None, before=None) -> float:
    """Wall seconds of one run of ``cmd`` (it must succeed), after ``before()`` when given (not timed)."""
    if before:
        before()
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def toolkit_command(acc, post, at, tmp: Path) -> tuple[list[str], object] | str:
    """Install the PyPI toolkit into a venv, preprocess the events: its ``compute co_retweet`` command and the
    step that gives it a fresh database copy before each run (compute writes its edge table into the file), or
    why it could not be installed."""
    prepared = toolkit_preprocessed(acc, post, at, tmp)
    if isinstance(prepared, str):
        return prepared
    cli, base = prepared
    copy = tmp / "cnt-run.db"
    cmd = [cli, str(copy), "compute", "co_retweet", "--time_window", "60", "--min_edge_weight", "1"]
    return cmd, lambda: shutil.copy(base, copy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=220_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-toolkit", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the database when it already holds the events")
    parser.add_argument("--modes", default="native,cnt,coortweet",
                        help="compat modes to time, comma-separated (the compat modes run their reference Cypher queries)")
    parser.add_argument("--formats", default="csv,graphml,gexf", help="native output formats to time, comma-separated")
    parser.add_argument("--stages", action="store_true", help="time the native CSV export's stages in this process")
    args = parser.parse_args()
    modes = set(args.modes.split(","))
    formats = set(args.formats.split(","))
    acc, post, at, post_at, n_accounts = make_events(args.events)
    conn = resolve_connection()
    driver = db.connect(conn)
    if args.reuse and _retweet_count(driver) == len(acc):
        print(f"events {len(acc):,} (retweets); reused")
    else:
        print(f"events {len(acc):,} (retweets), accounts {n_accounts:,}; load {load(driver, acc, post, at, post_at):.0f} s")
    if args.stages:
        stages(driver, args.repeat)
    driver.close()
    env = {**os.environ, "NEO4J_URI": conn.uri, "NEO4J_USER": conn.user, "NEO4J_PASSWORD": conn.password}
    coordgraph = str(Path(sys.executable).with_name("coordgraph"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # (label, command, untimed step before each run, output file); run in turns, round after round, so that
        # both tools meet the same load on this shared machine
        sides = []
        if not args.skip_toolkit:
            prepared = toolkit_command(acc, post, at, tmp)
            if isinstance(prepared, str):
                print(prepared)
            else:
                sides.append(("coordination-network-toolkit compute co_retweet (60 s, min 1, PyPI release)", *prepared, None))
        for compat, out in (("native", "net.csv"), ("native", "net.graphml"), ("native", "net.gexf"),
                            ("cnt", "cnt.csv"), ("coortweet", "coortweet.csv")):
            if compat not in modes or (compat == "native" and out.split(".")[1] not in formats):
                continue
            minimum = ["--min-participation", "1"] if compat == "coortweet" else ["--min-weight", "1"]
            cmd = [coordgraph, "network", "co_retweet", "--compat", compat, "--window", "60", *minimum, "-o", str(tmp / out)]
            sides.append((f"coordgraph network co_retweet --compat {compat} -o {out}", cmd, None, tmp / out))
        before = load_now()
        times: dict[str, list[float]] = {label: [] for label, *_ in sides}
        for _ in range(args.repeat):
            for label, cmd, step, _out in sides:
                times[label].append(run_once(cmd, env, step))
        print(f"{args.repeat} rounds, the commands in turn; load average {before} at the start, {load_now()} at the end")
        reference = statistics.median(times[sides[0][0]]) if sides and not args.skip_toolkit and sides[0][3] is None else None
        for label, _cmd, _step, out in sides:
            median = statistics.median(times[label])
            size = f", {sum(1 for _ in open(out)) - 1:,} edges" if out and out.suffix == ".csv" else ""
            ratio = f", {median / reference:.2f} x the toolkit" if reference and out else ""
            print(f"{label}: min {min(times[label]):.2f} s, median {median:.2f} s{size}{ratio}; "
                  f"all {' '.join(f'{t:.2f}' for t in times[label])}")


def stages(driver, repeat: int) -> None:
    """Time the stages of ``network co_retweet --window 60 --min-weight 1 -o FILE.csv`` in this process."""
    from coordgraph.analytics import network
    from coordgraph.analytics.signals import coaction

    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            start = time.perf_counter()
            events = network.pairing_events(driver, "co_retweet")
            exported = time.perf_counter()
            pairs = coaction.pair_arrays(events, 60_000, 1)
            paired = time.perf_counter()
            edges = network.native_table(pairs)
            tabled = time.perf_counter()
            network.write_network(edges, "native", Path(tmp) / "net.csv")
            written = time.perf_counter()
            print(f"stages: events export {exported - start:.2f} s ({len(events):,} events), pairing {paired - exported:.2f} s "
                  f"({len(edges):,} pairs), edge table {tabled - paired:.2f} s, CSV writing {written - tabled:.2f} s; "
                  f"load average {load_now()}", flush=True)


if __name__ == "__main__":
    main()
