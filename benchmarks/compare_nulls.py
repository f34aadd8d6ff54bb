"""Candidate nulls of the cluster test side by side: effect (observed / expected co-actions) per group. Prints
figures; not a test; needs no database.

Groups: independent fast fans whose speed depends on the post's hour and a planted network (the synthetic
world of tests/unit/test_cluster_effect.py, several seeds), and on the real sample
coortweet/german_elections.csv (W = 30 s, as in CooRTweet's vignette) the 13 Facebook accounts posting the same
hashtags and URLs within the same second and the three Twitter accounts posting the same URLs at a gap of 0 s.

Nulls: ``own delays`` (each member's delay redrawn from all its own delays, independent of the post: the test
before the effect size); ``object permutation`` (members' times drawn from each object's own action times, the
edge null; analytic expectation); ``post-conditioned`` (own delays within the post's hour and audience-size
stratum); ``+ timeline shift`` (the same, with objects without a post time whose audience is mostly the group
compared through shifted timelines: the cluster test of ``cluster_effect``).

Usage: python benchmarks/compare_nulls.py [--seeds 1 2 3] [--draws 300]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from coordgraph.analytics import statistics
from coordgraph.analytics.cluster_effect import MIN_EFFECT, NullSettings, cluster_effect_test

ROOT = Path(__file__).resolve().parents[1]
GERMAN = ROOT.parent / "shared" / "data" / "real" / "coortweet" / "german_elections.csv"
FB_GROUP = ["fb_11313", "fb_13394", "fb_1855", "fb_18793", "fb_19326", "fb_19569", "fb_2064", "fb_21052", "fb_2230", "fb_3163",
            "fb_666"]
TW_GROUP = ["tw_43746", "tw_47277", "tw_47280"]


def object_permutation_effect(events: list[statistics.SignalEvents], members: list[str]) -> float:
    """Observed over the analytic expectation when members' times are drawn from each object's own times."""
    obs = exp = 0.0
    for ev in events:
        mask = ev.member_positions(members)[ev.acc_code] >= 0
        k = np.bincount(ev.obj[mask], minlength=len(ev.objects)).astype(float)
        rows = np.flatnonzero(mask & (k[ev.obj] >= 2))
        obs += statistics._within(ev.obj[rows], ev.at[rows], ev.window_ms)[0]
        exp += float(np.sum(k * (k - 1) / 2 * ev.distinct_pair_rate()))
    return obs / exp if exp > 0 else float("inf")


def row(name: str, events: list[statistics.SignalEvents], members: list[str], draws: int, seed: int) -> dict:
    old = statistics.test_cluster(events, members, draws, np.random.default_rng(seed))
    conditioned = cluster_effect_test(events, members, draws, np.random.default_rng(seed), NullSettings(own_share=2.0))
    full = cluster_effect_test(events, members, draws, np.random.default_rng(seed))
    return {
        "group": name,
        "observed": old.total_observed,
        "own delays": round(old.total_observed / max(old.total_expected, 1e-9), 2),
        "own delays p": old.p_value,
        "object permutation": round(object_permutation_effect(events, members), 2),
        "post-conditioned": round(conditioned.effect, 2),
        "post-conditioned low": round(conditioned.effect_low, 2),
        "+ timeline shift": round(full.effect, 2),
        "+ shift low": round(full.effect_low, 2),
        "+ shift p": full.p_value,
        "coordinated": bool(full.p_value <= 0.05 and full.effect_low >= MIN_EFFECT),
    }


def german_events() -> list[statistics.SignalEvents]:
    frame = pd.read_csv(GERMAN)
    out = []
    for column, signal in (("hashtag_id", "co_hashtag"), ("url_id", "co_url"), ("domain_id", "co_domain")):
        part = frame[frame[column].notna()][["account_id", column, "timestamp"]]
        part = part.rename(columns={"account_id": "acc", column: "obj"}).assign(at=lambda d: d["timestamp"].astype("int64") * 1000)
        out.append(statistics.SignalEvents.from_frame(signal, part, 30_000))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--draws", type=int, default=300)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests" / "unit"))
    from test_cluster_effect import FANS, NET, W, post_dependent_world

    rows = []
    for seed in args.seeds:
        ev = statistics.SignalEvents.from_frame("co_retweet", post_dependent_world(seed), W)
        rows.append(row(f"fast fans, seed {seed}", [ev], FANS, args.draws, seed))
        rows.append(row(f"planted network, seed {seed}", [ev], NET, args.draws, seed))
    if GERMAN.exists():
        events = german_events()
        rows.append(row("german_elections Facebook group", events, FB_GROUP, args.draws, 0))
        rows.append(row("german_elections Twitter trio", events, TW_GROUP, args.draws, 0))
    pd.set_option("display.width", 250)
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
