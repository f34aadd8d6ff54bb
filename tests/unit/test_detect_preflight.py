"""What a run cannot compute is said, and a run that could compute nothing is refused (no database needed)."""

from __future__ import annotations

import pytest

from coordgraph.analytics.cluster_testing import not_coordinated_reason
from coordgraph.analytics.preflight import TARGET_SIGNALS, plan_skips
from coordgraph.errors import NothingToDetect

ALL = ("co_retweet", "rapid_follow_on", "exclusivity", "latency", "creation_burst")


def test_an_empty_database_is_refused():
    with pytest.raises(NothingToDetect, match="no posts or engagements"):
        plan_skips({"actions": 0, "targets": 0, "target_actions": 0}, ALL, True)


def test_target_signals_are_skipped_without_targets_and_refused_when_they_are_all_that_was_asked():
    skipped = plan_skips({"actions": 10, "targets": 0, "target_actions": 0}, ALL, True)
    assert [s["stage"] for s in skipped] == ["rapid_follow_on", "exclusivity", "latency", "membership"]
    assert all(":Target" in s["reason"] for s in skipped)
    with pytest.raises(NothingToDetect, match="targets add"):
        plan_skips({"actions": 10, "targets": 0, "target_actions": 0}, TARGET_SIGNALS, True)
    # targets whose posts nobody engaged: the same, with that reason
    skipped = plan_skips({"actions": 10, "targets": 2, "target_actions": 0}, ALL, False)
    assert [s["stage"] for s in skipped] == ["rapid_follow_on", "exclusivity", "latency"]
    assert "retweeted, replied to or quoted" in skipped[0]["reason"]
    assert plan_skips({"actions": 10, "targets": 2, "target_actions": 5}, ALL, True) == []


def test_the_reason_a_cluster_is_not_coordinated():
    assert not_coordinated_reason(0.01, 0.05, True, 30, 3.0, 4) == ""
    assert "not significant" in not_coordinated_reason(0.2, 0.05, True, 30, 3.0, 4)
    assert "failed the group test against chance" in not_coordinated_reason(0.01, 0.05, False, 30, 3.0, 4)
    assert "no more co-actions" in not_coordinated_reason(0.01, 0.05, True, 2, 3.0, 4)
    assert "fewer than 2 members confirmed" in not_coordinated_reason(0.01, 0.05, True, 30, 3.0, 1)
