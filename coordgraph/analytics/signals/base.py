"""The common shape of a coordination signal's output, so detection can fuse any of them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

PAIR_COLUMNS = ["a", "b", "weight", "count", "first_at", "last_at", "posts"]
ACCOUNT_COLUMNS = ["account_id", "score", "detail"]


@dataclass
class SignalResult:
    """What one signal found.

    ``pairs``: one row per pair of accounts linked by the signal, columns ``PAIR_COLUMNS``: ``a``, ``b``
    (account ids; ``a < b`` unless ``directed``), ``weight`` (float, larger = stronger), ``count`` (how many
    co-actions / shared items), ``first_at``/``last_at`` (epoch ms or None), ``posts`` (list of post ids or items
    behind the link, may be truncated).
    ``accounts``: one row per account the signal scores, columns ``ACCOUNT_COLUMNS``: ``account_id``, ``score``
    (larger = more anomalous versus the benchmark), ``detail`` (JSON-able dict: the numbers behind the score).
    ``params``: the parameters used, for the run record.
    """

    name: str
    pairs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PAIR_COLUMNS))
    accounts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ACCOUNT_COLUMNS))
    directed: bool = False
    params: dict = field(default_factory=dict)
