"""Detection quality over a randomised suite of scenario designs, worst case first. Prints figures; not a test.

Each case is a (design seed, scenario seed) pair: the design seed draws a whole scenario *design* with
``coordgraph.synth.designs.sample_design`` (network size 15-150, 0-30 % low-activity members, followers up to
5 min apart, two to five targets, 90-365 days, independent fast fans whose speed depends on the post, superfans,
fan communities with partial synchrony, news surges, viral moments, ...); the scenario seed draws everything
inside it. For each case: generate -> ingest (the real pipeline) -> mark the targets -> ``detect`` with default
parameters (``--wide-window S`` turns on detect's second in-step look, ``--no-corroborated`` turns off the
corroborated route) -> ``impact`` of the run, then score against the ground truth:

- account-level precision, recall and F1; recall over the low-activity members alone;
- hard negatives flagged, per kind (fast fans, superfans, fan community, news surge, viral retweeters, slogan
  users, burst-day organics);
- optionally (``--baseline``) the same account figures for the peer tools' method, co-retweet within 60 s on at
  least 2 posts with connected components;
- per target, the flagged accounts' share of the target's retweets against the true network's share, in
  percentage points, and whether the truth lies inside the 95 % interval when ``impact`` reports
  ``retweets_share_low``/``retweets_share_high`` (absent columns are reported as "n/a"), and inside the range
  that also counts the accounts the clusters held back as unconfirmed (``retweets_share_low`` to
  ``retweets_share_with_unconfirmed_high``; the case line shows both, e.g. ``OUT/in``).

It prints one row per case as it finishes (with the design's key features and the case's time), then every
case again worst first (lowest F1), the worst value of each measure with its case, the median, and per
hard-negative kind how many were flagged over the suite. ``--out FILE`` writes the per-case results as JSON so
runs can be diffed.

Development and holdout cases. The default suite (design seeds 1..N, ``--cases N``, default 20) is the one to
iterate on; ``--quick`` runs its first 8 cases only. ``--holdout`` runs a separate set of design seeds
(100001..), drawn from the same ranges, that developers look at only once, at the end, to check that what
was tuned on the development cases holds on cases never seen: do not run it while developing, and do not
change detection after looking at it.

The database is wiped for every case, so the script uses a throw-away managed server of its own: its home in a
temporary directory (``--home DIR`` to keep one between runs), Bolt 7745 / HTTP 7755 (``--bolt-port``,
``--http-port``), heap 1 GB and page cache 512 MB (``COORDGRAPH_BENCH_HEAP``, ``COORDGRAPH_BENCH_PAGECACHE``);
never the investigator's server. With NEO4J_URI set it uses that server instead (and wipes it).

Usage:
    .venv/bin/python benchmarks/detect_quality.py --quick                 # 8 development cases
    .venv/bin/python benchmarks/detect_quality.py --out run.json          # 20 development cases
    .venv/bin/python benchmarks/detect_quality.py --holdout               # only once, at the end
    .venv/bin/python benchmarks/detect_quality.py --design-seeds 3 7      # chosen development cases
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from coordgraph import db, runtime
from coordgraph.config import Connection, ServerLayout, read_password
from coordgraph.synth import generate
from coordgraph.synth.designs import describe, design_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the shared test helpers wipe the database
from benchmarks import quality_diagnosis  # noqa: E402
from tests.helpers import wipe  # noqa: E402

HOLDOUT_BASE = 100_000
QUICK_CASES = 8
DEFAULT_SCALE = 0.2
SHARE_KIND = "retweets"  # the reference study's headline figure: the network's share of the targets' retweets
HARD_KINDS = ("fast_fan", "superfan", "fan_community", "news_surge", "viral_retweeters", "slogan_user", "burst_day_organic")
SHORT = {"fast_fan": "ff", "superfan": "sf", "fan_community": "fc", "news_surge": "ns", "viral_retweeters": "vr",
         "slogan_user": "su", "burst_day_organic": "bd"}


def cases_for(args) -> list[tuple[int, int]]:
    """(design seed, scenario seed) pairs of the chosen suite."""
    if args.design_seeds:
        design_seeds = list(args.design_seeds)
    else:
        n = QUICK_CASES if args.quick else args.cases
        base = HOLDOUT_BASE if args.holdout else 0
        design_seeds = [base + i for i in range(1, n + 1)]
    return [(d, 1000 + d) for d in design_seeds]


@contextmanager
def bench_connection(args):
    """A connection to NEO4J_URI, or to a throw-away managed server started for this run (stopped at the end)."""
    if os.environ.get("NEO4J_URI"):
        yield Connection(uri=os.environ["NEO4J_URI"], user=os.environ.get("NEO4J_USER", "neo4j"),
                         password=os.environ.get("NEO4J_PASSWORD", ""), database=os.environ.get("NEO4J_DATABASE") or None)
        return
    base = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="coordgraph-quality-"))
    layout = ServerLayout(home=base / "server", password_file=base / "neo4j-password", bolt_port=args.bolt_port,
                          http_port=args.http_port, heap=os.environ.get("COORDGRAPH_BENCH_HEAP", "1g"),
                          pagecache=os.environ.get("COORDGRAPH_BENCH_PAGECACHE", "512m"))
    try:
        t0 = time.perf_counter()
        runtime.install(layout, log=lambda *_: None)
        runtime.start(layout, log=lambda *_: None)
        print(f"throw-away server {layout.uri} (home {layout.home}) ready in {time.perf_counter() - t0:.0f} s", flush=True)
        yield Connection(uri=layout.uri, user="neo4j", password=read_password(layout.password_file), managed=True)
    finally:
        runtime.stop(layout)
        if not args.home:
            shutil.rmtree(base, ignore_errors=True)


def score_accounts(flagged: set[str], truth: dict) -> dict[str, Any]:
    """Account-level precision/recall/F1, low-activity recall and hard negatives flagged by kind."""
    members = {m["id"] for m in truth["network"]["members"]}
    low = {m["id"] for m in truth["network"]["members"] if m["low_activity"]}
    hits = flagged & members
    precision = len(hits) / len(flagged) if flagged else 1.0
    recall = len(hits) / len(members) if members else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    hard = {kind: set(ids) - members for kind, ids in truth["hard_negatives"].items()}
    hard_all = set().union(*hard.values()) if hard else set()
    return {
        "network": len(members), "flagged": len(flagged), "true_positives": len(hits), "false_positives": len(flagged - members),
        "precision": precision, "recall": recall, "f1": f1,
        "low_activity": len(low), "low_activity_found": len(hits & low),
        "low_activity_recall": len(hits & low) / len(low) if low else None,
        "hard_negatives_flagged": len(flagged & hard_all),
        "hard_negatives_present": {kind: len(ids) for kind, ids in hard.items()},
        "hard_negatives_by_kind": {kind: len(flagged & ids) for kind, ids in hard.items()},
        "other_false_positives": len((flagged - members) - hard_all),
    }


def score_shares(impact_frame, truth: dict) -> list[dict[str, Any]]:
    """Per target: the flagged share of its retweets, the true network share, the error and interval coverage."""
    true_share = {name: scope["overall"][SHARE_KIND]["share"] for name, scope in truth["engagement"].items()}
    rows = impact_frame[(impact_frame["group"] == "all flagged")] if impact_frame is not None and len(impact_frame) else None
    out = []
    for target in truth["targets"]:
        name = target["username"]
        truth_share = true_share.get(name)
        row = rows[rows["target"].str.lower() == name.lower()] if rows is not None else None
        flagged = float(row[f"{SHARE_KIND}_share"].iloc[0]) if row is not None and len(row) else 0.0
        flagged = 0.0 if math.isnan(flagged) else flagged
        low_col, high_col = f"{SHARE_KIND}_share_low", f"{SHARE_KIND}_share_high"
        interval = None
        if row is not None and len(row) and low_col in row.columns and high_col in row.columns:
            lo, hi = float(row[low_col].iloc[0]), float(row[high_col].iloc[0])
            if not (math.isnan(lo) or math.isnan(hi)):
                interval = [lo, hi]
        wide_col = f"{SHARE_KIND}_share_with_unconfirmed_high"
        span = None
        if interval is not None and wide_col in row.columns and not math.isnan(float(row[wide_col].iloc[0])):
            span = [interval[0], float(row[wide_col].iloc[0])]
        out.append({
            "target": name, "role": target.get("role"), "true_share": truth_share, "flagged_share": flagged,
            "error_pp": None if truth_share is None else round(100 * (flagged - truth_share), 2),
            "interval": interval,
            "truth_in_interval": None if interval is None or truth_share is None else interval[0] <= truth_share <= interval[1],
            "range_with_unconfirmed": span,
            "truth_in_range": None if span is None or truth_share is None else span[0] <= truth_share <= span[1],
        })
    return out


def peer_baseline(driver, database: str | None) -> set[str]:
    """What the peer tools do: co-retweet within 60 s on at least 2 posts, connected components, all flagged."""
    import networkx as nx

    from coordgraph.analytics.signals import coaction

    pairs = coaction.coaction_pairs(driver, "co_retweet", 60, 2, database=database).pairs
    graph = nx.Graph()
    graph.add_edges_from(zip(pairs["a"], pairs["b"]))
    return {n for comp in nx.connected_components(graph) if len(comp) >= 2 for n in comp}


def run_case(driver, database, design_seed: int, seed: int, scale: float, workdir: Path, baseline: bool = False,
             diagnose: bool = False, wide_window_s: float = 0.0, corroborated: bool = True) -> dict[str, Any]:
    """Generate, load, detect (default parameters but ``wide_window_s`` and ``corroborated``) and score one case."""
    from coordgraph.analytics.detect import DetectParams, detect
    from coordgraph.analytics.impact import impact
    from coordgraph.ingest import ingest_paths
    from coordgraph.ingest.targets import add_targets

    design = design_for(design_seed)
    times = {}
    t0 = time.perf_counter()
    scenario = generate(workdir / f"case-{design_seed}", seed=seed, scale=scale, **design)
    truth = scenario.ground_truth()
    times["generate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    wipe(driver, database)
    ingest_paths(driver, scenario.ingest_paths, progress=False, rejects_dir=workdir / f"case-{design_seed}" / "rejects", database=database)
    add_targets(driver, scenario.target_handles, database=database)
    times["ingest"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with quality_diagnosis.recording() if diagnose else nullcontext({}) as record:
        result = detect(driver, DetectParams(wide_window_s=wide_window_s, corroborated=corroborated), database=database)
    times["detect"] = time.perf_counter() - t0
    if diagnose:
        extra_diagnosis = {"diagnosis": quality_diagnosis.missed_members(record, result, truth)}
    t0 = time.perf_counter()
    impact_frame = impact(driver, run_id=result.run_id, database=database)
    times["impact"] = time.perf_counter() - t0
    shares = score_shares(impact_frame, truth)
    # the true network measured the same way from the database: a check that ingest kept the truth's events
    measured = impact(driver, account_ids=[m["id"] for m in truth["network"]["members"]], database=database)
    for share in shares:
        row = measured[measured["target"].str.lower() == share["target"].lower()]
        share["true_share_measured"] = float(row[f"{SHARE_KIND}_share"].iloc[0]) if len(row) else None
    errors = [abs(s["error_pp"]) for s in shares if s["error_pp"] is not None]
    covered = [s["truth_in_interval"] for s in shares if s["truth_in_interval"] is not None]
    in_range = [s["truth_in_range"] for s in shares if s.get("truth_in_range") is not None]
    shutil.rmtree(workdir / f"case-{design_seed}", ignore_errors=True)
    extra = extra_diagnosis if diagnose else {}
    if baseline:
        peer = score_accounts(peer_baseline(driver, database), truth)
        extra["peer_baseline"] = {k: peer[k] for k in ("flagged", "precision", "recall", "f1", "hard_negatives_flagged")}
    return {
        "case": f"d{design_seed}/s{seed}", "design_seed": design_seed, "seed": seed, "scale": scale, "design": design,
        "events": truth["counts"]["events"], "accounts": truth["counts"]["accounts_in_data"],
        **score_accounts(set(result.flagged_accounts), truth),
        "shares": shares, "max_share_error_pp": max(errors) if errors else None,
        "truth_in_interval": (all(covered) if covered else None), "truth_in_range": (all(in_range) if in_range else None),
        "seconds": {k: round(v, 1) for k, v in times.items()},
        **extra,
    }


def fmt(value, spec: str = ".2f", missing: str = "n/a") -> str:
    return missing if value is None else format(value, spec)


def case_line(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"{r['case']:>13}  FAILED: {r['error']}"
    kinds = " ".join(f"{SHORT.get(k, k)}{n}" for k, n in r["hard_negatives_by_kind"].items() if n)
    word = {True: "in", False: "OUT", None: "n/a"}
    inside = word[r["truth_in_interval"]] + ("/" + word[r["truth_in_range"]] if "truth_in_range" in r else "")
    total = sum(r["seconds"].values())
    peer = r.get("peer_baseline")
    peer_text = f"  peer P {peer['precision']:.2f} R {peer['recall']:.2f} HN {peer['hard_negatives_flagged']}" if peer else ""
    return (f"{r['case']:>13}  {describe(r['design']):<86} {r['events']:>7,}  fl {r['flagged']:>3}/{r['network']:<3}"
            f" P {r['precision']:.2f} R {r['recall']:.2f} F1 {r['f1']:.2f} lowR {fmt(r['low_activity_recall'])}"
            f" HN {r['hard_negatives_flagged']:>3} [{kinds}]  share ±{fmt(r['max_share_error_pp'], '.1f')}pp {inside}"
            f"  {total:.0f} s (gen {r['seconds']['generate']:.0f} load {r['seconds']['ingest']:.0f} det {r['seconds']['detect']:.0f})"
            + peer_text)


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Worst and median of each measure over the cases that ran, and hard negatives flagged per kind."""
    ok = [r for r in results if "error" not in r]
    measures = {  # name -> (key, worst is the minimum?)
        "precision": ("precision", True), "recall": ("recall", True), "f1": ("f1", True),
        "low_activity_recall": ("low_activity_recall", True), "hard_negatives_flagged": ("hard_negatives_flagged", False),
        "max_share_error_pp": ("max_share_error_pp", False),
    }
    out: dict[str, Any] = {"cases": len(results), "failed": len(results) - len(ok), "worst": {}, "median": {}}
    for name, (key, low_is_bad) in measures.items():
        values = [(r[key], r["case"]) for r in ok if r.get(key) is not None]
        if not values:
            continue
        worst = min(values) if low_is_bad else max(values)
        out["worst"][name] = {"value": worst[0], "case": worst[1]}
        out["median"][name] = statistics.median(v for v, _ in values)
    covered = [r["truth_in_interval"] for r in ok if r["truth_in_interval"] is not None]
    out["truth_in_interval"] = {"cases_with_interval": len(covered), "inside": sum(covered)}
    in_range = [r["truth_in_range"] for r in ok if r.get("truth_in_range") is not None]
    out["truth_in_range"] = {"cases_with_range": len(in_range), "inside": sum(in_range)}
    out["hard_negatives"] = {kind: {"flagged": sum(r["hard_negatives_by_kind"].get(kind, 0) for r in ok),
                                    "present": sum(r["hard_negatives_present"].get(kind, 0) for r in ok),
                                    "cases_with_any_flagged": sum(1 for r in ok if r["hard_negatives_by_kind"].get(kind, 0))}
                             for kind in HARD_KINDS}
    return out


def bar_checks(s: dict[str, Any]) -> list[tuple[str, bool | None]]:
    """Issue 13's "done when" figures against this run (None when the run has no such figure)."""
    worst, median = s["worst"], s["median"]

    def check(table, name, test):
        return test(table[name]["value"] if table is worst else table[name]) if name in table else None

    t = s["truth_in_interval"]
    return [
        ("worst precision >= 0.97", check(worst, "precision", lambda v: v >= 0.97)),
        ("worst hard negatives flagged <= 2", check(worst, "hard_negatives_flagged", lambda v: v <= 2)),
        ("worst flagged share within +-1 pp of the truth", check(worst, "max_share_error_pp", lambda v: v <= 1.0)),
        ("true share inside the 95 % interval in every case",
         (t["inside"] == t["cases_with_interval"] == s["cases"] - s["failed"]) if t["cases_with_interval"] else None),
        ("median recall >= 0.95", check(median, "recall", lambda v: v >= 0.95)),
        ("median low-activity recall >= 0.5", check(median, "low_activity_recall", lambda v: v >= 0.5)),
    ]


def print_summary(results: list[dict[str, Any]], s: dict[str, Any]) -> None:
    ok = sorted((r for r in results if "error" not in r), key=lambda r: (r["f1"], r["precision"]))
    print("\nall cases, worst first (lowest F1):")
    for r in ok:
        print(case_line(r))
    for r in results:
        if "error" in r:
            print(case_line(r))
    print("\nworst case per measure:")
    for name, w in s["worst"].items():
        print(f"  {name:<24} {w['value']:>7.3f}  ({w['case']})   median {s['median'][name]:.3f}")
    t = s["truth_in_interval"]
    print(f"  true share inside the 95 % interval: {t['inside']}/{t['cases_with_interval']} cases"
          + ("" if t["cases_with_interval"] else " (impact reports no interval)"))
    w = s.get("truth_in_range")
    if w and w["cases_with_range"]:
        print(f"  true share inside the range with the held-back accounts (interval's low to the upper bound with the "
              f"unconfirmed): {w['inside']}/{w['cases_with_range']} cases")
    print("\nissue 13's bar:")
    for label, ok in bar_checks(s):
        print(f"  {'met    ' if ok else 'NOT met' if ok is not None else 'n/a    '}  {label}")
    print("\nhard negatives flagged over the suite, per kind (flagged / present, cases with any flagged):")
    for kind, h in s["hard_negatives"].items():
        print(f"  {kind:<20} {h['flagged']:>4} / {h['present']:<5} in {h['cases_with_any_flagged']} case(s)")


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
                              cwd=Path(__file__).parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="See the module docstring for the suite.")
    parser.add_argument("--cases", type=int, default=20, help="number of development cases (design seeds 1..N)")
    parser.add_argument("--quick", action="store_true", help=f"only the first {QUICK_CASES} development cases, for iteration")
    parser.add_argument("--holdout", action="store_true", help="the holdout design seeds: look at them once, at the end")
    parser.add_argument("--design-seeds", type=int, nargs="+", help="run exactly these design seeds")
    parser.add_argument("--scale", type=float, default=DEFAULT_SCALE, help="organic population scale of every case")
    parser.add_argument("--baseline", action="store_true",
                        help="also score the peer tools' method (co-retweet within 60 s on 2+ posts, connected components)")
    parser.add_argument("--diagnose", action="store_true",
                        help="place every missed network member at the step that let it go (JSON 'diagnosis' per case)")
    parser.add_argument("--wide-window", type=float, default=0.0,
                        help="detect's second in-step look at this window in seconds (detect --wide-window; 0, the default, off)")
    parser.add_argument("--no-corroborated", action="store_true",
                        help="detect without the corroborated route (detect --no-corroborated): the detection before it")
    parser.add_argument("--out", type=Path, help="write the per-case results and the summary as JSON here")
    parser.add_argument("--home", help="keep the throw-away server's home in this folder (reused by later runs)")
    parser.add_argument("--bolt-port", type=int, default=7745, help="Bolt port of the throw-away server")
    parser.add_argument("--http-port", type=int, default=7755, help="HTTP port of the throw-away server")
    args = parser.parse_args()
    cases = cases_for(args)
    suite = "holdout" if args.holdout else "development"
    wide = f", wide window {args.wide_window:g} s" if args.wide_window else ""
    wide += ", corroborated route off" if args.no_corroborated else ""
    print(f"detection quality: {len(cases)} {suite} case(s), scale {args.scale}{wide}, commit {git_commit()}", flush=True)
    results: list[dict[str, Any]] = []
    started = time.perf_counter()
    with bench_connection(args) as conn, tempfile.TemporaryDirectory(prefix="coordgraph-quality-cases-") as tmp:
        driver = db.connect(conn)
        try:
            for design_seed, seed in cases:
                try:
                    r = run_case(driver, conn.database, design_seed, seed, args.scale, Path(tmp), args.baseline,
                                 args.diagnose, args.wide_window, not args.no_corroborated)
                except Exception as exc:  # one broken case must not hide the others' figures
                    r = {"case": f"d{design_seed}/s{seed}", "design_seed": design_seed, "seed": seed,
                         "design": design_for(design_seed), "error": f"{type(exc).__name__}: {exc}",
                         "traceback": traceback.format_exc()}
                results.append(r)
                print(case_line(r), flush=True)
        finally:
            driver.close()
    s = summary(results)
    print_summary(results, s)
    print(f"\n{len(cases)} case(s) in {(time.perf_counter() - started) / 60:.1f} min")
    if args.out:
        args.out.write_text(json.dumps({"suite": suite, "scale": args.scale, "wide_window_s": args.wide_window,
                                        "corroborated": not args.no_corroborated, "commit": git_commit(), "summary": s,
                                        "cases": results}, indent=1, default=str) + "\n", encoding="utf-8")
        print(f"results: {args.out}")


if __name__ == "__main__":
    main()
