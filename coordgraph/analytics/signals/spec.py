"""How detection knows a signal: what it computes from (:class:`SignalInputs`) and its registry entry
(:class:`SignalSpec`); every signal module exposes ``SPECS``, a tuple of them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd
from neo4j import Driver

from ... import db
from .base import SignalResult


@dataclass
class SignalInputs:
    """What a signal computes from: the server, the run's parameters (``DetectParams``) and the co-action events
    read so far in this run, by signal name (co-action signals add theirs, so nothing is read twice), the same
    events prepared for the time-shuffled null (``null_events``, filled by detection beside the other signals),
    and the posts' texts the text signals share (:meth:`engaging_texts`)."""

    driver: Driver
    params: Any
    database: str | None = None
    events: dict[str, pd.DataFrame] = field(default_factory=dict)
    null_events: dict[str, Any] = field(default_factory=dict)
    _texts: list[list[Any]] | None = field(default=None, repr=False)
    _texts_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def engaging_texts(self) -> list[list[Any]]:
        """The texts of the posts of the accounts engaging the targets (of every account when there are no
        targets), read once per run for the language and near-duplicate signals, which may ask at the same time:
        rows ``[account_id, target, post_id, kind, at, text]`` (``signals/engaging_texts.cypher``)."""
        with self._texts_lock:
            if self._texts is None:
                self._texts = engaging_texts(self.driver, self.database)
            return self._texts


def engaging_texts(driver: Driver, database: str | None = None, engaging_only: bool = True) -> list[list[Any]]:
    """The posts' texts the text signals read (:meth:`SignalInputs.engaging_texts`): of the accounts engaging the
    targets with ``engaging_only`` and targets in the graph, else of every account."""
    has_targets = db.read(driver, "signals/language_targets", database=database)[0]["targets"] > 0
    accounts = db.read_rows(driver, "signals/engaging_texts", database=database, engaging_only=bool(engaging_only and has_targets))
    return [[account_id, target, *post] for account_id, target, posts in accounts for post in posts]


@dataclass(frozen=True)
class SignalSpec:
    """One signal as detection knows it.

    ``compute`` returns the signal's :class:`SignalResult` named ``name``. A ``coaction`` signal is calibrated
    against the time-resampled null, forms the skeleton of the fused graph and is the statistic of the cluster
    test (its events are kept in :attr:`SignalInputs.events`); every other signal corroborates: its pairs add
    weight only where a calibrated co-action edge already links the pair. A ``standalone`` signal is computed from
    the server and the run's parameters alone (never from :attr:`SignalInputs.events`), so detection may compute
    it beside other standalone signals.
    """

    name: str
    compute: Callable[[SignalInputs], SignalResult]
    coaction: bool = False
    standalone: bool = False


def account_level(name: str, function: Callable[..., SignalResult]) -> SignalSpec:
    """The spec of a signal computed by ``function(driver, database=...)`` with its own defaults."""

    def compute(inputs: SignalInputs) -> SignalResult:
        result = function(inputs.driver, database=inputs.database)
        result.name = name
        return result

    return SignalSpec(name, compute, standalone=True)
