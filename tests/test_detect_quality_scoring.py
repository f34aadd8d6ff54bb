"""The robustness suite's scoring (benchmarks/detect_quality.py), on hand-made truths: no server needed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

_SPEC = importlib.util.spec_from_file_location("detect_quality", Path(__file__).parents[1] / "benchmarks" / "detect_quality.py")
quality = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(quality)


def truth() -> dict:
    members = [{"id": f"m{i}", "low_activity": i >= 8} for i in range(10)]
    return {
        "network": {"members": members},
        "hard_negatives": {"fast_fan": ["f1", "f2", "f3"], "superfan": ["s1"], "news_surge": [], "viral_retweeters": ["v1", "f1"]},
        "targets": [{"username": "AmbX", "role": "ambassador"}, {"username": "EmbX", "role": "embassy"}],
        "engagement": {"AmbX": {"overall": {"retweets": {"share": 0.40}}}, "EmbX": {"overall": {"retweets": {"share": 0.20}}}},
    }


def test_account_scores_count_members_low_activity_and_each_hard_negative_kind():
    flagged = {"m0", "m1", "m2", "m3", "m8", "f1", "f2", "x9"}
    s = quality.score_accounts(flagged, truth())
    assert (s["true_positives"], s["false_positives"]) == (5, 3)
    assert s["precision"] == pytest.approx(5 / 8) and s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(2 * (5 / 8) * 0.5 / (5 / 8 + 0.5))
    assert (s["low_activity"], s["low_activity_found"], s["low_activity_recall"]) == (2, 1, 0.5)
    assert s["hard_negatives_by_kind"] == {"fast_fan": 2, "superfan": 0, "news_surge": 0, "viral_retweeters": 1}
    assert s["hard_negatives_flagged"] == 2  # f1 is both a fast fan and a viral retweeter: one account
    assert s["other_false_positives"] == 1


def test_share_scores_with_and_without_an_interval():
    frame = pd.DataFrame({"group": ["all flagged", "all flagged", "cluster 1"], "target": ["ambx", "EmbX", "AmbX"],
                          "retweets_share": [0.43, 0.19, 0.9]})
    plain = quality.score_shares(frame, truth())
    assert [s["error_pp"] for s in plain] == [3.0, -1.0]
    assert all(s["truth_in_interval"] is None for s in plain)
    frame["retweets_share_low"] = [0.41, 0.15, 0.8]
    frame["retweets_share_high"] = [0.45, 0.22, 0.95]
    with_interval = quality.score_shares(frame, truth())
    assert [s["truth_in_interval"] for s in with_interval] == [False, True]
    # no flagged accounts at all: the flagged share is 0
    assert [s["flagged_share"] for s in quality.score_shares(frame.iloc[0:0], truth())] == [0.0, 0.0]


def test_summary_reports_the_worst_case_per_measure_and_the_bar():
    good = {"case": "d1", "precision": 1.0, "recall": 0.97, "f1": 0.985, "low_activity_recall": 0.6, "hard_negatives_flagged": 0,
            "max_share_error_pp": 0.4, "truth_in_interval": True, "hard_negatives_by_kind": {"fast_fan": 0},
            "hard_negatives_present": {"fast_fan": 10}}
    bad = {**good, "case": "d2", "precision": 0.6, "f1": 0.75, "hard_negatives_flagged": 9, "max_share_error_pp": 12.0,
           "truth_in_interval": False, "hard_negatives_by_kind": {"fast_fan": 9}}
    s = quality.summary([good, bad, {"case": "d3", "error": "boom"}])
    assert s["failed"] == 1
    assert s["worst"]["precision"] == {"value": 0.6, "case": "d2"}
    assert s["worst"]["max_share_error_pp"] == {"value": 12.0, "case": "d2"}
    assert s["hard_negatives"]["fast_fan"] == {"flagged": 9, "present": 20, "cases_with_any_flagged": 1}
    bar = dict(quality.bar_checks(s))
    assert bar["worst precision >= 0.97"] is False and bar["median low-activity recall >= 0.5"] is True
    assert dict(quality.bar_checks(quality.summary([good])))["worst precision >= 0.97"] is True


def test_cases_development_quick_and_holdout_do_not_overlap():
    class Args:
        design_seeds = None
        quick = False
        holdout = False
        cases = 20

    dev = quality.cases_for(Args)
    Args.quick = True
    quick = quality.cases_for(Args)
    Args.quick, Args.holdout = False, True
    holdout = quality.cases_for(Args)
    assert len(dev) == 20 and quick == dev[:8] and len(holdout) == 20
    assert not {d for d, _ in dev} & {d for d, _ in holdout}
