"""The demo's comparison of found clusters with the ground truth."""

from __future__ import annotations

import pandas as pd
import pytest

from coordgraph.demo import evaluate


def test_evaluate_counts_precision_recall_and_flagged_negatives():
    truth = {
        "network": {"members": [{"id": str(i)} for i in range(10)], "low_activity": ["8", "9"]},
        "hard_negatives": {"superfan": ["s1", "s2"], "fan_community": ["f1"]},
    }
    members = pd.DataFrame(
        [("0", 1, True), ("1", 1, True), ("2", 1, True), ("s1", 1, True), ("3", 2, True), ("8", 2, True),
         ("4", 3, False), ("f1", 3, False)],
        columns=["account_id", "number", "coordinated"],
    )
    ev = evaluate(truth, members)
    assert ev["flagged"] == 6 and ev["true_positives"] == 5 and ev["false_positives"] == 1
    assert ev["precision"] == pytest.approx(5 / 6) and ev["recall"] == pytest.approx(0.5)
    assert ev["recall_without_low_activity"] == pytest.approx(4 / 8) and ev["low_activity_found"] == 1
    assert ev["hard_negatives_flagged"] == {"superfan": 1, "fan_community": 0}  # cluster 3 was not flagged
    assert [(c["number"], c["size"], c["network_members"]) for c in ev["clusters"]] == [(1, 4, 3), (2, 2, 2)]
    empty = evaluate(truth, pd.DataFrame(columns=["account_id", "number", "coordinated"]))
    assert empty["flagged"] == 0 and empty["precision"] is None and empty["recall"] == 0
