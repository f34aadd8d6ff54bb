"""How detection knows a signal: what it computes from (:class:`SignalInputs`) and its registry entry
(:class:`SignalSpec`); every signal module exposes ``SPECS``, a tuple of them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd
from neo4j import Driver

from ... import db, processes
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
    helper: HelperProcess | None = field(default=None, repr=False)

    def apart(self, function: Callable[..., SignalResult], *args: Any, size: int, **kwargs: Any) -> SignalResult:
        """``function(*args, **kwargs)``, in the run's :class:`HelperProcess` when detection opened one and the
        work is large (``size`` rows, at least :data:`HELPER_MIN_ROWS`), else here. ``function`` and its
        arguments must pickle: a module's function, data and no driver."""
        if self.helper is None or size < HELPER_MIN_ROWS:
            return function(*args, **kwargs)
        return self.helper.run(function, *args, **kwargs)

    def engaging_texts(self) -> list[list[Any]]:
        """The texts of the posts of the accounts engaging the targets (of every account when there are no
        targets), read once per run for the language and near-duplicate signals, which may ask at the same time:
        rows ``[account_id, target, post_id, kind, at, text]`` (``signals/engaging_texts.cypher``)."""
        with self._texts_lock:
            if self._texts is None:
                self._texts = engaging_texts(self.driver, self.database)
            return self._texts


# Below this many rows a signal's Python work stays in the run's process: the helper's start (importing pandas and
# numpy, about 1.5 CPU seconds) and the rows' pickling would cost more than computing beside the other signals.
HELPER_MIN_ROWS = 20_000


class HelperProcess:
    """One spawned process for the signals' heaviest Python work (the text signals' n-grams and MinHash), so that
    it runs on the other core instead of waiting for this process's interpreter lock, which the other signals hold
    while they decode the server's records. Started on first use; :meth:`close` ends it."""

    def __init__(self) -> None:
        self._pool = None
        self._lock = threading.Lock()

    def run(self, function: Callable[..., SignalResult], *args: Any, **kwargs: Any) -> SignalResult:
        """``function(*args, **kwargs)`` in the helper process (waiting here for its result)."""
        with self._lock:
            if self._pool is None:
                self._pool = processes.spawn_pool(1)
                with processes.main_module_hidden():
                    future = self._pool.submit(function, *args, **kwargs)
            else:
                future = self._pool.submit(function, *args, **kwargs)
        return future.result()

    def close(self) -> None:
        """End the process, if it was started."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


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
