"""The generator's in-memory world: a table of accounts and a table of events, built stage by stage.

Columns are numpy arrays (or lists for strings/tuples); stages append whole blocks at once, so references
between events are plain row indices until the writers turn them into snowflake ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

ORIGINAL, REPLY, QUOTE, RETWEET = 0, 1, 2, 3
KIND_NAMES = ("original", "reply", "quote", "retweet")

ACCOUNT_COLUMNS = ("role", "username", "name", "description", "location", "lang", "created_ms", "tz", "followers",
                   "following", "verified", "default_image", "activity", "client", "negative", "url")
EVENT_COLUMNS = ("author", "ms", "kind", "ref", "body", "lang", "source", "hashtags", "link", "mentions", "tag")


class Table:
    """Append-only columnar table; ``add`` takes equal-length sequences (scalars are broadcast)."""

    columns: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._blocks: dict[str, list[Any]] = {c: [] for c in self.columns}
        self.size = 0
        self._frozen: dict[str, np.ndarray] | None = None

    def add(self, n: int, **values: Any) -> np.ndarray:
        """Append ``n`` rows; return their row indices."""
        missing = set(self.columns) - set(values)
        if missing:
            raise KeyError(f"missing columns: {sorted(missing)}")
        for col in self.columns:
            value = values[col]
            if isinstance(value, np.ndarray):
                block = value
            elif isinstance(value, list):
                block = _obj(value, n)
            elif isinstance(value, (str, tuple)) or value is None:
                block = _obj(value, n, tuple_scalar=True)
            else:
                block = np.full(n, value)
            if len(block) != n:
                raise ValueError(f"column {col}: {len(block)} values for {n} rows")
            self._blocks[col].append(block)
        rows = np.arange(self.size, self.size + n)
        self.size += n
        self._frozen = None
        return rows

    def col(self, name: str) -> np.ndarray:
        """The whole column as one array (cached until the next ``add``)."""
        if self._frozen is None:
            self._frozen = {}
        if name not in self._frozen:
            blocks = self._blocks[name]
            if not blocks:
                self._frozen[name] = np.empty(0)
            elif all(b.dtype != object for b in blocks):
                self._frozen[name] = np.concatenate(blocks)
            else:
                arr = np.empty(self.size, dtype=object)
                pos = 0
                for b in blocks:
                    arr[pos:pos + len(b)] = b
                    pos += len(b)
                self._frozen[name] = arr
        return self._frozen[name]

    def set(self, name: str, rows: np.ndarray, values: Any) -> None:
        """Overwrite ``values`` at ``rows`` of one column (rebuilds the column as a single block)."""
        arr = self.col(name).copy()
        arr[rows] = values
        self._blocks[name] = [arr]
        self._frozen = None

    def keep(self, mask: np.ndarray) -> np.ndarray:
        """Keep only rows where ``mask`` is True; return the old->new index map (-1 for dropped rows)."""
        mapping = np.full(self.size, -1, dtype=np.int64)
        mapping[mask] = np.arange(int(mask.sum()))
        for c in self.columns:
            self._blocks[c] = [self.col(c)[mask]]
        self.size = int(mask.sum())
        self._frozen = None
        return mapping


class Accounts(Table):
    columns = ACCOUNT_COLUMNS


class Events(Table):
    columns = EVENT_COLUMNS

    def add_events(self, author, ms, kind, ref=-1, body="", lang="en", source="Twitter Web App", hashtags=(),
                   link="", mentions=(), tag="organic") -> np.ndarray:
        """Append events; ``author``/``ms`` set the row count, other arguments may be scalars."""
        author = np.asarray(author, dtype=np.int64)
        n = len(author)
        return self.add(
            n, author=author, ms=np.asarray(ms, dtype=np.int64), kind=np.broadcast_to(np.asarray(kind, dtype=np.int8), n).copy(),
            ref=np.broadcast_to(np.asarray(ref, dtype=np.int64), n).copy(), body=_obj(body, n), lang=_obj(lang, n),
            source=_obj(source, n), hashtags=_obj(hashtags, n, tuple_scalar=True), link=_obj(link, n),
            mentions=_obj(mentions, n, tuple_scalar=True), tag=_obj(tag, n),
        )


def _obj(value: Any, n: int, tuple_scalar: bool = False) -> np.ndarray:
    arr = np.empty(n, dtype=object)
    if value is None or isinstance(value, str) or (tuple_scalar and isinstance(value, tuple)):
        arr[:] = [value] * n
    else:
        seq = list(value)
        if len(seq) != n:
            raise ValueError(f"{len(seq)} values for {n} rows")
        arr[:] = seq
    return arr


@dataclass
class World:
    """Accounts, events and the facts the ground truth needs, shared by every generation stage."""

    params: Any
    rng: np.random.Generator
    accounts: Accounts = field(default_factory=Accounts)
    events: Events = field(default_factory=Events)
    targets: list[int] = field(default_factory=list)  # account rows of the focal accounts
    popular: list[int] = field(default_factory=list)
    network: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def start_ms(self) -> int:
        return self.params.start_ms

    @property
    def end_ms(self) -> int:
        return self.params.end_ms
