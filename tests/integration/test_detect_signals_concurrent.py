"""The signals, computed two at a time during detection, give what one after the other gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coordgraph.analytics import detect as detect_module
from coordgraph.analytics import fusion
from coordgraph.analytics.detect import DetectParams
from coordgraph.analytics.signals import SIGNALS, SignalInputs
from helpers import load_scenario, wipe


@pytest.fixture(scope="module")
def scenario_db(driver, tmp_path_factory):
    load_scenario(driver, tmp_path_factory.mktemp("scenario"), seed=13, scale=0.05)
    yield driver
    wipe(driver)


def test_signals_two_at_a_time_equal_one_after_the_other(scenario_db):
    chosen = detect_module.ALL_SIGNALS
    stages: list[tuple[str, float]] = []
    inputs = SignalInputs(scenario_db, DetectParams())
    started: list[str] = []
    compute_signal = detect_module._compute_signal

    def noting_start(inputs, name):
        started.append(name)
        return compute_signal(inputs, name)

    detect_module._compute_signal = noting_start
    try:
        together = detect_module._compute_signals(inputs, chosen, lambda s, f: stages.append((s, f)))
    finally:
        detect_module._compute_signal = compute_signal
    alone = SignalInputs(scenario_db, DetectParams())
    one_by_one = {name: SIGNALS[name].compute(alone) for name in sorted(chosen, key=lambda n: not SIGNALS[n].coaction)}

    concurrent = [n for n in chosen if SIGNALS[n].standalone or SIGNALS[n].coaction]
    assert {"near_duplicate", "language", "rhythm", "dormancy", "co_retweet", "co_hashtag"} <= set(concurrent)
    assert "rapid_follow_on" not in concurrent  # it reads the co-action events: computed after them
    first = [n for n in detect_module.LONGEST_FIRST if n in concurrent]
    assert started == first + [n for n in concurrent if n not in first] + ["rapid_follow_on"]  # longest first
    # one stage for the concurrent signals, its progress moving as each finishes, then rapid follow-on
    stage = f"signals: {len(concurrent)}, {detect_module.SIGNAL_WORKERS} at a time"
    assert [s for s, _ in stages] == [stage] * (len(concurrent) + 1) + ["signal rapid_follow_on"]
    fractions = [f for _, f in stages]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[len(concurrent)] < 0.5
    assert detect_module.SIGNAL_WORKERS == 2
    assert list(together) == list(one_by_one)  # the same order as one after the other
    assert sum(len(together[n].pairs) for n in concurrent if SIGNALS[n].standalone) > 0 and len(together["language"].pairs) > 0
    for name in chosen:
        a, b = together[name], one_by_one[name]
        assert a.name == b.name == name
        pd.testing.assert_frame_equal(a.pairs.drop(columns="fast_count", errors="ignore"), b.pairs)  # detect adds fast_count
        pd.testing.assert_frame_equal(a.accounts, b.accounts)
        assert a.params == b.params
    # the events in the registry's order whatever order the signals finished in (the null draws in that order),
    # each prepared for the null beside the signals as the null would prepare it
    assert list(inputs.events) == [n for n in one_by_one if n in alone.events] and len(inputs.events) >= 5
    prepared = fusion.null_events(alone.events, DetectParams().window_s)
    assert [e.signal for e in prepared] == [n for n in inputs.events if n in inputs.null_events]
    for want in prepared:
        got = inputs.null_events[want.signal]
        for name in ("obj", "acc", "at", "objects", "pair_rate", "acc_code", "delay", "by_acc", "anchor", "posted"):
            np.testing.assert_array_equal(getattr(got, name), getattr(want, name))


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
