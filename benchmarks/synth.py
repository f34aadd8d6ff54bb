"""Scenario generator: generation time, throughput, peak memory and file sizes at two (or more) scales.

    .venv/bin/python benchmarks/synth.py                 # scales 0.25 and 1.0, seed 7, difficulty hard
    .venv/bin/python benchmarks/synth.py --scales 0.5 2  # other scales
    .venv/bin/python benchmarks/synth.py --design 6 --scales 3.4 --keep /tmp/d6  # a design of the robustness suite

``--design N`` generates the randomised design ``coordgraph.synth.designs.design_for(N)`` with scenario seed
1000 + N, as ``benchmarks/detect_quality.py`` and ``benchmarks/detect_speed.py --scenario`` do (organic events
grow with the square of the scale: design 6 gives about 79k events at 0.2, 201k at 1, 0.99M at 3.4).
``--keep DIR`` writes the scenario to DIR/<scale> and keeps it. Each scale runs in its own process so the peak
memory figure is that scale's alone; CPU is that process's user + system time.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure_one(scale: float, seed: int, difficulty: str, design: int | None, keep: Path | None) -> dict:
    from coordgraph.synth import generate
    from coordgraph.synth.designs import design_for

    overrides = design_for(design) if design is not None else {}
    if design is not None:
        seed = 1000 + design
    with tempfile.TemporaryDirectory() as tmp:
        out = keep / f"{scale:g}" if keep else Path(tmp) / "s"
        started, cpu = time.perf_counter(), time.process_time()
        scenario = generate(out, seed=seed, scale=scale, difficulty=difficulty, **overrides)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        sizes = {
            "twarc2": sum(p.stat().st_size for p in scenario.twarc_paths),
            "io": scenario.io_users_path.stat().st_size + scenario.io_tweets_path.stat().st_size,
            "status": scenario.status_path.stat().st_size,
            "ground_truth": scenario.ground_truth_path.stat().st_size,
        }
        counts = scenario.counts
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"scale": scale, "seconds": seconds, "cpu": cpu, "counts": counts, "sizes": sizes, "peak_rss_mib": peak_kib / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 1.0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--difficulty", default="hard")
    parser.add_argument("--design", type=int, help="design seed of the robustness suite (scenario seed 1000 + N)")
    parser.add_argument("--keep", type=Path, help="write each scale's scenario to KEEP/<scale> and keep it")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure_one(args.one, args.seed, args.difficulty, args.design, args.keep)))
        return
    case = f"design {args.design} (seed {1000 + args.design})" if args.design is not None else f"seed {args.seed}"
    print(f"coordgraph.synth generation, {case}, difficulty {args.difficulty}")
    header = f"{'scale':>6} {'accounts':>9} {'events':>8} {'seconds':>8} {'CPU s':>6} {'events/s':>9} {'peak MiB':>9} {'twarc2 MB':>10} {'IO MB':>7} {'status KB':>10} {'truth KB':>9}"
    print(header)
    for scale in args.scales:
        extra = (["--design", str(args.design)] if args.design is not None else []) + (["--keep", str(args.keep)] if args.keep else [])
        out = subprocess.run([sys.executable, __file__, "--one", str(scale), "--seed", str(args.seed), "--difficulty", args.difficulty,
                              *extra], check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        c, s = r["counts"], r["sizes"]
        print(f"{r['scale']:>6g} {c['accounts_in_data']:>9} {c['events']:>8} {r['seconds']:>8.1f} {r['cpu']:>6.1f} {c['events'] / r['seconds']:>9.0f} "
              f"{r['peak_rss_mib']:>9.0f} {s['twarc2'] / 1e6:>10.1f} {s['io'] / 1e6:>7.2f} {s['status'] / 1e3:>10.0f} {s['ground_truth'] / 1e3:>9.0f}")


if __name__ == "__main__":
    main()
