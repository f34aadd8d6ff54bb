"""The text signals computed in the run's helper process (``signals.spec.HelperProcess``) give what they give in
the run's own process, and small work never starts the process."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordgraph.analytics.signals import SignalInputs, language, spec, textsim
from coordgraph.analytics.signals.spec import HelperProcess

TEMPLATES = ["the embassy says the report on {} is false and biased", "watch the ambassador on {} tonight, the truth",
             "{} is thriving, western media lies again", "my cat likes {} more than breakfast"]


def texts(seed: int, n: int = 400) -> list[list]:
    """Rows as ``signals/engaging_texts.cypher`` gives them: ``[account_id, target, post_id, kind, at, text]``."""
    rng = np.random.default_rng(seed)
    words = ["trade", "xinjiang", "tibet", "football", "rain", "tea", "london", "ports"]
    rows = []
    for i in range(n):
        text = TEMPLATES[int(rng.integers(0, 4))].format(words[int(rng.integers(0, 8))])
        if rng.random() < 0.3:
            text += f" #{words[int(rng.integers(0, 8))]}"
        rows.append([f"acc{int(rng.integers(0, 60))}", False, f"p{i}", "reply" if rng.random() < 0.7 else "quote",
                     1_600_000_000_000 + int(rng.integers(0, 10**9)), text])
    return rows


def results_equal(a, b) -> None:
    assert a.name == b.name and a.params == b.params
    for frame in ("pairs", "accounts", "trace_pairs"):
        x, y = getattr(a, frame), getattr(b, frame)
        assert (x is None) == (y is None)
        if x is not None:
            pd.testing.assert_frame_equal(x, y)


def test_the_text_signals_in_the_helper_equal_them_here(monkeypatch):
    monkeypatch.setattr(spec, "HELPER_MIN_ROWS", 1)
    rows = texts(7)
    params = type("P", (), {"near_duplicate_threshold": 0.8, "min_repeat": 2})()
    here = SignalInputs(None, params, _texts=rows)
    apart = SignalInputs(None, params, _texts=rows, helper=HelperProcess())
    try:
        for compute in (textsim._compute, language._compute):
            expected, got = compute(here), compute(apart)
            results_equal(expected, got)
        assert len(textsim._compute(here).pairs)  # the corpus has near-duplicates to find
        assert apart.helper._pool is not None  # the work did run apart
    finally:
        apart.helper.close()


def test_small_work_stays_in_this_process():
    rows = texts(3, 50)
    params = type("P", (), {"near_duplicate_threshold": 0.8, "min_repeat": 2})()
    inputs = SignalInputs(None, params, _texts=rows, helper=HelperProcess())
    textsim._compute(inputs)
    language._compute(inputs)
    assert inputs.helper._pool is None
