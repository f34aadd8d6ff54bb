"""Detection speed: full ``detect`` on N engagement events, and co-retweet alone beside the
coordination-network-toolkit's ``compute co_retweet`` on the same events. Prints figures; not a test.

The events are written straight into the graph model (accounts, target posts, retweets, replies) with a seeded
generator: organic accounts engage posts with long delays, a small network engages together within seconds.
The toolkit (PyPI ``coordination-network-toolkit``) is installed into a temporary venv when possible.

Printed: the load time; co-retweet alone (W 60 s, min 1) as detection computes it (one export of the events,
vectorised pairing), the same with the reference Cypher query (``--cypher-pairs``), and the toolkit; full
``detect`` wall time with the time of every stage (from the ``progress`` callback).

``--scenario DESIGN_SEED --scale S`` measures full ``detect`` on a scenario with realistic structure instead:
the randomised design behind ``benchmarks/detect_quality.py`` (``coordgraph.synth.designs.design_for``; scenario
seed 1000 + DESIGN_SEED, as there) generated at organic scale S (about 1M events at S 3 for design 6): organic
reply threads and quotes with texts (so ``near_duplicate`` runs), fans, fast fans, fan communities, news surges,
viral moments and a planted network. It is generated into ``--scenario-dir`` (kept, and reused when it already
holds the same case), loaded with ``coordgraph ingest`` (the bulk path into the managed server's emptied
database), the targets marked, and ``detect`` run with default parameters; printed are the load time, detect's
stages and precision / recall / hard negatives flagged against the scenario's ground truth.

Usage: python benchmarks/detect_speed.py [--events 1000000] [--skip-toolkit] [--reuse] [--cypher-pairs]
       python benchmarks/detect_speed.py --scenario 6 --scale 3 --scenario-dir /tmp/d6 [--reuse]
Needs a Neo4j + GDS reachable through NEO4J_URI/NEO4J_PASSWORD (or the managed server); it wipes the database
(``--reuse`` keeps a database that already holds the same generated events). ``--no-sparse-groups`` and
``--no-null-screen`` run detect without the group route or the null screen, for comparison. Detect's run is
deleted from the database once it is timed (``--keep-run`` keeps it), so repeated ``--reuse`` rounds measure the
same graph.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from coordgraph import db, runs
from coordgraph.analytics.detect import DetectParams, detect
from coordgraph.analytics.signals import coaction
from coordgraph.config import resolve_connection

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the shared test helpers load the events
sys.path.insert(0, str(Path(__file__).resolve().parent))  # detect_quality's scoring against the ground truth
from detect_quality import score_accounts  # noqa: E402
from stage_clock import StageClock  # noqa: E402

from tests.helpers import add_retweets, add_target_posts, wipe  # noqa: E402


def make_events(n_events: int, seed: int = 7):
    """Seeded retweet events: (account, post, time ms, id) plus the posts and accounts they need."""
    rng = np.random.default_rng(seed)
    n_posts = max(n_events // 200, 10)
    n_accounts = max(n_events // 40, 100)
    t0 = 1_600_000_000_000
    post_at = t0 + np.sort(rng.integers(0, 200 * 86_400_000, n_posts))
    network = np.arange(60)
    rows_acc, rows_post, rows_at = [], [], []
    organic_n = n_events - 30 * n_posts
    acc = rng.integers(60, n_accounts, organic_n)
    post = rng.integers(0, n_posts, organic_n)
    at = post_at[post] + rng.exponential(3_600_000, organic_n).astype(np.int64)
    rows_acc.append(acc), rows_post.append(post), rows_at.append(at)
    for p in range(n_posts):  # the network: half of it, together, at a moment after each post
        members = rng.choice(network, 30, replace=False)
        moment = post_at[p] + int(rng.uniform(0, 7_200_000))
        rows_acc.append(members), rows_post.append(np.full(30, p)), rows_at.append(moment + rng.integers(0, 40_000, 30))
    acc, post, at = np.concatenate(rows_acc), np.concatenate(rows_post), np.concatenate(rows_at)
    return acc, post, at.astype(np.int64), post_at, n_accounts


def load(driver, acc, post, at, post_at) -> float:
    """Empty the database and write the events with the tests' graph builders; the seconds it took."""
    start = time.perf_counter()
    wipe(driver)
    db.ensure_schema(driver)
    add_target_posts(driver, ({"acc": "target", "eid": f"p{i}", "at": int(t)} for i, t in enumerate(post_at)), batch=20_000)
    rows = ({"acc": f"u{a}", "obj": f"p{p}", "at": int(t), "eid": f"r{i}"} for i, (a, p, t) in enumerate(zip(acc, post, at)))
    add_retweets(driver, rows, batch=20_000)
    return time.perf_counter() - start


def toolkit_preprocessed(acc, post, at, tmp: Path) -> tuple[str, Path] | str:
    """Install the PyPI toolkit into a venv under ``tmp`` and preprocess the events (its CSV layout): its CLI and
    database file, or why it could not be installed."""
    venv = tmp / "venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "coordination-network-toolkit"], check=True,
                       capture_output=True, timeout=600)
    except (subprocess.SubprocessError, OSError) as exc:
        return f"toolkit not installed ({exc.__class__.__name__})"
    data = tmp / "events.csv"
    with open(data, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls"])
        for i, (a, p, t) in enumerate(zip(acc, post, at)):
            w.writerow([f"r{i}", f"u{a}", f"u{a}", f"p{p}", "", "", int(t // 1000), ""])
    dbfile = tmp / "cnt.db"
    cli = str(venv / "bin" / "compute_networks")
    subprocess.run([cli, str(dbfile), "preprocess", "--format", "csv", str(data)], check=True, capture_output=True)
    return cli, dbfile


def toolkit_co_retweet(acc, post, at, window_s: int) -> tuple[float | None, str]:
    """Time ``compute co_retweet`` of the PyPI toolkit on the same events (install into a temp venv)."""
    with tempfile.TemporaryDirectory() as tmp:
        prepared = toolkit_preprocessed(acc, post, at, Path(tmp))
        if isinstance(prepared, str):
            return None, prepared
        cli, dbfile = prepared
        start = time.perf_counter()
        subprocess.run([cli, str(dbfile), "compute", "co_retweet", "--time_window", str(window_s), "--min_edge_weight", "1"],
                       check=True, capture_output=True)
        return time.perf_counter() - start, "PyPI release"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--skip-toolkit", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the database when it already holds the events")
    parser.add_argument("--cypher-pairs", action="store_true", help="also time the reference Cypher pairing query")
    parser.add_argument("--skip-detect", action="store_true")
    parser.add_argument("--scenario", type=int, help="design seed of a generated scenario (module doc)")
    parser.add_argument("--scale", type=float, default=3.0, help="organic scale of the scenario")
    parser.add_argument("--scenario-dir", type=Path, help="where the scenario is generated (default: a temporary folder)")
    parser.add_argument("--no-sparse-groups", action="store_true", help="detect without the group route")
    parser.add_argument("--no-null-screen", action="store_true", help="detect without the null screen")
    parser.add_argument("--keep-run", action="store_true",
                        help="keep detect's run in the database (by default it is deleted after it is timed, so "
                             "rounds with --reuse each measure the same graph)")
    args = parser.parse_args()
    params = DetectParams(sparse_groups=not args.no_sparse_groups, null_screen=not args.no_null_screen)
    if args.scenario is not None:
        scenario_main(args, params)
        return
    acc, post, at, post_at, n_accounts = make_events(args.events)
    driver = db.connect(resolve_connection())
    if args.reuse and _retweet_count(driver) == len(acc):
        print(f"events {len(acc):,} (retweets), accounts {n_accounts:,}, posts {len(post_at):,}; reused")
    else:
        loaded = load(driver, acc, post, at, post_at)
        print(f"events {len(acc):,} (retweets), accounts {n_accounts:,}, posts {len(post_at):,}; load {loaded:.0f} s")
    start = time.perf_counter()
    pairs = coaction.coaction_pairs(driver, "co_retweet", window_s=60, min_repeat=1).pairs
    ours = time.perf_counter() - start
    print(f"co-retweet (W 60 s, min 1), export + vectorised pairing: {ours:.1f} s, {len(pairs):,} pairs")
    if args.cypher_pairs:
        start = time.perf_counter()
        rows = db.read_query(driver, coaction.pairs_query("co_retweet"),
                             {"window_ms": 60_000, "bucket_ms": 60_000, "min_repeat": 1, "max_posts": 50})
        print(f"co-retweet (W 60 s, min 1), reference Cypher query: {time.perf_counter() - start:.1f} s, {len(rows):,} pairs")
    toolkit = None
    if not args.skip_toolkit:
        seconds, note = toolkit_co_retweet(acc, post, at, 60)
        toolkit = f"{seconds:.1f} s ({note})" if seconds is not None else note
        print(f"co-retweet side by side: coordgraph {ours:.1f} s | coordination-network-toolkit compute co_retweet "
              f"(60 s, min 1) {toolkit}")
    if args.skip_detect:
        driver.close()
        return
    timed_detect(driver, params, keep_run=args.keep_run)
    driver.close()


def timed_detect(driver, params: DetectParams, keep_run: bool = False):
    """Full ``detect``, printing its wall time, the time of every stage and the null screen's work; the result.
    The run is deleted from the database afterwards unless ``keep_run``."""
    clock = StageClock()
    start, cpu = time.perf_counter(), time.process_time()
    result = detect(driver, params, progress=clock)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    stages = clock.stop()
    routes = [json.loads(s) for s in result.clusters["signals"]] if len(result.clusters) else []
    screened = sum(1 for r in routes if r["null"].get("draws_made", params.n_null) < params.n_null)
    sparse = sum(1 for r in routes if r["route"] != "edges")
    print(f"full detect (all signals, group route {'on' if params.sparse_groups else 'off'}, null screen "
          f"{'on' if params.null_screen else 'off'}): {total:.1f} s; {len(result.clusters)} clusters tested "
          f"({sparse} from the group route, {screened} stopped by the null screen), "
          f"{len(result.flagged_accounts)} accounts flagged; CPU of this process (all its threads, not the server's) "
          f"{cpu:.1f} s")
    print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items() if v >= 0.05))
    print(f"load average {os.getloadavg()[0]:.1f} / {os.getloadavg()[1]:.1f} / {os.getloadavg()[2]:.1f} (1/5/15 min)")
    if not keep_run:
        runs.delete(driver, result.run_id)
    return result


def scenario_main(args, params: DetectParams) -> None:
    """The ``--scenario`` mode (module doc)."""
    from coordgraph.ingest.targets import add_targets
    from coordgraph.synth import generate
    from coordgraph.synth.designs import design_for

    out = args.scenario_dir or Path(tempfile.mkdtemp(prefix="coordgraph-speed-scenario-"))
    stamp = out / "case.json"
    case = {"design_seed": args.scenario, "seed": 1000 + args.scenario, "scale": args.scale}
    if not (stamp.exists() and json.loads(stamp.read_text()) == case):
        start = time.perf_counter()
        generate(out, seed=case["seed"], scale=args.scale, **design_for(args.scenario))
        stamp.write_text(json.dumps(case))
        print(f"generated design {args.scenario} (seed {case['seed']}, scale {args.scale}) in {time.perf_counter() - start:.0f} s")
    truth = json.loads((out / "ground_truth.json").read_text())
    events = truth["counts"]["events"]
    handles = [t["username"] for t in truth["targets"]]
    print(f"scenario d{args.scenario}/s{case['seed']} scale {args.scale}: {events:,} events, "
          f"{truth['counts']['accounts_in_data']:,} accounts, network {len(truth['network']['members'])}")
    driver = db.connect(resolve_connection())
    loaded = out / "loaded.json"  # the graph's action count after this scenario's load, for --reuse
    if not (args.reuse and loaded.exists() and json.loads(loaded.read_text()) == {**case, "actions": _event_count(driver)}):
        wipe(driver)
        driver.close()
        start = time.perf_counter()
        cli = str(Path(sys.executable).parent / "coordgraph")
        subprocess.run([cli, "ingest", "-q", "--max-rejects", str(events), str(out / "twarc2"), str(out / "io"),
                        str(out / "status.csv")], check=True)
        driver = db.connect(resolve_connection())
        actions = _event_count(driver)
        loaded.write_text(json.dumps({**case, "actions": actions}))
        print(f"ingest (coordgraph ingest, bulk path into the emptied database): {time.perf_counter() - start:.0f} s, "
              f"{actions:,} timed relationships in the graph")
    add_targets(driver, handles)
    result = timed_detect(driver, params, keep_run=args.keep_run)
    # the IO archive loaded beside the collection names each member a second time, by its hashed id: a flagged
    # twin is that member (counted once), not a false positive
    twin_of = {m["io_userid"]: m["id"] for m in truth["network"]["members"] if m.get("io_userid")}
    flagged = set(result.flagged_accounts)
    twins = flagged & twin_of.keys()
    s = score_accounts({twin_of.get(a, a) for a in flagged}, truth)
    print(f"against the truth: {len(flagged)} accounts flagged ({len(twins)} of them members' IO-archive twins, "
          f"counted as their member), precision {s['precision']:.3f}, recall {s['recall']:.3f}, "
          f"F1 {s['f1']:.3f}, low-activity {s['low_activity_found']}/{s['low_activity']}, hard negatives flagged "
          f"{s['hard_negatives_flagged']} {s['hard_negatives_by_kind']}")
    driver.close()


def _event_count(driver) -> int:
    """Relationships with a time in the graph (the actions a load wrote)."""
    with driver.session() as s:
        return s.run("MATCH ()-[r]->() WHERE r.at IS NOT NULL RETURN count(r) AS n").single()["n"]


def _retweet_count(driver) -> int:
    with driver.session() as s:
        return s.run("MATCH ()-[r:RETWEETED]->() RETURN count(r) AS n").single()["n"]


if __name__ == "__main__":
    main()
