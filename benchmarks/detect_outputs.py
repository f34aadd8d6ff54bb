"""Every output of one ``detect`` run on the graph as it is, saved; and two saved runs compared field by field.

For speed changes that must leave detection's results as they were: run ``dump`` with each version of the code
on the same graph (an older version from a copy of its tree: ``PYTHONPATH=<copy> .venv/bin/python
benchmarks/detect_outputs.py dump OUT``), then ``compare``. Saved: flagged accounts, clusters (every column,
``signals`` decoded), members (every column, ``evidence`` decoded), evidence edges, impact (whole period, the
run id aside), every signal's pairs and account scores, wall and CPU seconds and the stage times. Compared:
clusters keyed by their members (not their numbers), members by (account, cluster members); printed are the
fields that differ and in how many clusters / members, with each differing cluster's route, decision and draws.

It runs detect against the managed server of ``COORDGRAPH_HOME`` (or NEO4J_URI / NEO4J_PASSWORD) and adds a run.

Usage: .venv/bin/python benchmarks/detect_outputs.py dump OUT.pkl
       .venv/bin/python benchmarks/detect_outputs.py compare A.pkl B.pkl
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import pickle
import time

import pandas as pd
from stage_clock import StageClock


def dump(out: str) -> None:
    """Run detect with default parameters and save everything it returns (module doc)."""
    from coordgraph import db
    from coordgraph.analytics.detect import DetectParams, detect
    from coordgraph.analytics.impact import impact
    from coordgraph.config import resolve_connection

    driver = db.connect(resolve_connection())
    clock = StageClock()
    load = os.getloadavg()
    start, cpu = time.perf_counter(), time.process_time()
    result = detect(driver, DetectParams(), progress=clock)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    stages = clock.stop()
    print(f"detect {wall:.1f} s wall, {cpu:.1f} CPU s; load average {load[0]:.1f} at the start, "
          f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())} at the end; {len(result.clusters)} clusters, "
          f"{len(result.flagged_accounts)} accounts flagged")
    signals = {name: (r.pairs, r.accounts) for name, r in result.signals.items()}
    with open(out, "wb") as f:
        pickle.dump({"clusters": result.clusters, "accounts": result.accounts, "edges": result.edges,
                     "impact": impact(driver, result.run_id).drop(columns="run_id"), "flagged": result.flagged_accounts,
                     "signals": signals, "wall": wall, "cpu": cpu, "stages": stages}, f)
    driver.close()


def _same(x, y) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return x == y or (math.isnan(x) and math.isnan(y))
    return x == y


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def _keyed(run: dict) -> tuple[dict, dict]:
    members = run["accounts"].groupby("number")["account_id"].agg(lambda s: tuple(sorted(s))).to_dict()
    clusters = {members.get(r["number"], ("(no member)", r["number"])): {**r, "signals": json.loads(r["signals"])}
                for r in run["clusters"].to_dict("records")}
    accounts = {(r["account_id"], members.get(r["number"])): {**r, "evidence": json.loads(r["evidence"])}
                for r in run["accounts"].to_dict("records")}
    return clusters, accounts


def _frames_equal(x: pd.DataFrame, y: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True), check_exact=True)
        return True
    except AssertionError:
        return False


def compare(path_a: str, path_b: str) -> None:
    """Print every difference between two saved runs (module doc)."""
    with open(path_a, "rb") as f:
        a = pickle.load(f)
    with open(path_b, "rb") as f:
        b = pickle.load(f)
    print(f"flagged accounts identical: {a['flagged'] == b['flagged']} ({len(a['flagged'])} / {len(b['flagged'])})")
    for name in ("edges", "impact"):
        x, y = (run[name].drop(columns="run_id", errors="ignore") for run in (a, b))
        print(f"{name} identical: {_frames_equal(x, y)} ({len(x)} rows)")
    differ = [(n, part) for n in a["signals"] for i, part in enumerate(("pairs", "accounts"))
              if not _frames_equal(a["signals"][n][i].astype(str), b["signals"].get(n, (pd.DataFrame(),) * 2)[i].astype(str))]
    print(f"signal results differing: {differ or 'none'}")
    ca, aa = _keyed(a)
    cb, ab = _keyed(b)
    print(f"clusters {len(ca)} / {len(cb)}, the same member sets: {set(ca) == set(cb)}")
    fields, rows = collections.Counter(), []
    for key in sorted(set(ca) & set(cb), key=lambda k: ca[k]["number"]):
        fa, fb = _flat(ca[key]), _flat(cb[key])
        diff = sorted(f for f in set(fa) | set(fb) if not _same(fa.get(f), fb.get(f)))
        if diff:
            fields.update(diff)
            rows.append((ca[key]["number"], cb[key]["number"], len(key), ca[key]["coordinated"], cb[key]["coordinated"],
                         ca[key]["signals"]["route"], ca[key]["signals"]["null"]["draws_made"],
                         cb[key]["signals"]["null"]["draws_made"], diff))
    print(f"clusters with a differing field: {len(rows)}; fields (clusters): {dict(fields)}")
    for number_a, number_b, size, coord_a, coord_b, route, draws_a, draws_b, diff in rows:
        print(f"  #{number_a}/#{number_b} size {size} route {route} coordinated {coord_a}/{coord_b} draws {draws_a}/{draws_b}: "
              f"{', '.join(diff)}")
    for key in set(ca) & set(cb):
        if ca[key]["coordinated"] != cb[key]["coordinated"] or ca[key]["reason"] != cb[key]["reason"]:
            print(f"  size {len(key)}: reason {ca[key]['reason']!r} -> {cb[key]['reason']!r}")
    print(f"members {len(aa)} / {len(ab)}, the same: {set(aa) == set(ab)}")
    member_fields, in_coordinated, n = collections.Counter(), 0, 0
    for key in set(aa) & set(ab):
        fa, fb = _flat(aa[key]), _flat(ab[key])
        diff = [f for f in set(fa) | set(fb) if not _same(fa.get(f), fb.get(f))]
        if diff:
            n += 1
            member_fields.update(diff)
            in_coordinated += bool(aa[key]["coordinated"] or ab[key]["coordinated"])
    print(f"members with a differing field: {n} ({in_coordinated} in coordinated clusters); fields: {dict(member_fields)}")
    print(f"wall {a['wall']:.1f} / {b['wall']:.1f} s, CPU {a['cpu']:.1f} / {b['cpu']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("dump").add_argument("out")
    both = sub.add_parser("compare")
    both.add_argument("a")
    both.add_argument("b")
    args = parser.parse_args()
    dump(args.out) if args.command == "dump" else compare(args.a, args.b)


if __name__ == "__main__":
    main()
