"""The standalone signals, computed two at a time during detection, give what one after the other gives."""

from __future__ import annotations

import pandas as pd
import pytest

from coordgraph.analytics import detect as detect_module
from coordgraph.analytics.detect import DetectParams
from coordgraph.analytics.signals import SIGNALS, SignalInputs
from helpers import load_scenario, wipe


@pytest.fixture(scope="module")
def scenario_db(driver, tmp_path_factory):
    load_scenario(driver, tmp_path_factory.mktemp("scenario"), seed=13, scale=0.05)
    yield driver
    wipe(driver)


def test_standalone_signals_two_at_a_time_equal_one_after_the_other(scenario_db):
    chosen = detect_module.ALL_SIGNALS
    stages: list[str] = []
    together = detect_module._compute_signals(SignalInputs(scenario_db, DetectParams()), chosen, lambda s, _: stages.append(s))
    alone = SignalInputs(scenario_db, DetectParams())
    one_by_one = {name: SIGNALS[name].compute(alone) for name in sorted(chosen, key=lambda n: not SIGNALS[n].coaction)}

    standalone = [n for n in chosen if SIGNALS[n].standalone]
    assert {"near_duplicate", "language", "rhythm", "dormancy"} <= set(standalone)
    assert not any(SIGNALS[n].coaction for n in standalone) and "rapid_follow_on" not in standalone  # they read events
    assert f"signals {', '.join(standalone)} ({detect_module.SIGNAL_WORKERS} at a time)" in stages
    assert detect_module.SIGNAL_WORKERS == 2
    assert list(together) == list(one_by_one)  # the same order as one after the other
    assert sum(len(together[n].pairs) for n in standalone) > 0 and len(together["language"].pairs) > 0
    for name in chosen:
        a, b = together[name], one_by_one[name]
        assert a.name == b.name == name
        pd.testing.assert_frame_equal(a.pairs.drop(columns="fast_count", errors="ignore"), b.pairs)  # detect adds fast_count
        pd.testing.assert_frame_equal(a.accounts, b.accounts)
        assert a.params == b.params


def test_text_signals_from_the_shared_read_equal_their_own_reads(scenario_db):
    """Detection reads the texts once for the language and near-duplicate signals; each gives what it gives
    called on its own (reading the texts itself)."""
    from coordgraph.analytics.signals.language import language
    from coordgraph.analytics.signals.textsim import near_duplicate

    inputs = SignalInputs(scenario_db, DetectParams())
    texts = inputs.engaging_texts()
    assert texts and inputs.engaging_texts() is texts  # read once per run
    assert {row[3] for row in texts} >= {"reply", "quote"}
    shared = {name: SIGNALS[name].compute(inputs) for name in ("language", "near_duplicate")}
    own = {"language": language(scenario_db), "near_duplicate": near_duplicate(scenario_db, DetectParams().near_duplicate_threshold)}
    assert len(own["near_duplicate"].pairs) > 0 and len(own["language"].pairs) > 0
    for name in own:
        pd.testing.assert_frame_equal(shared[name].pairs, own[name].pairs)
        pd.testing.assert_frame_equal(shared[name].accounts, own[name].accounts)
        assert shared[name].params == own[name].params
    pd.testing.assert_frame_equal(shared["near_duplicate"].trace_pairs, own["near_duplicate"].trace_pairs)
