"""Time ranges given on the command line (``--since`` / ``--until``) as epoch-millisecond bounds.

Both ends are inclusive as written: ``--since 2021-08-15 --until 2021-08-31`` covers both days whole. A date
without a time stands for its whole day; a time without a zone is UTC. Internally the range is
``since_ms <= t < until_ms`` (``until_ms`` is the first excluded millisecond).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .errors import CoordgraphError

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class TimeRange:
    """Half-open bounds in epoch ms; ``None`` is unbounded on that side."""

    since_ms: int | None = None
    until_ms: int | None = None

    @property
    def bounded(self) -> bool:
        return self.since_ms is not None or self.until_ms is not None

    def contains(self, at_ms):
        """Whether ``at_ms`` (a number or a numpy/pandas array) falls inside the range."""
        inside = at_ms == at_ms  # True (elementwise) for any number
        if self.since_ms is not None:
            inside = inside & (at_ms >= self.since_ms)
        if self.until_ms is not None:
            inside = inside & (at_ms < self.until_ms)
        return inside

    def as_record(self) -> dict[str, str | None]:
        """The range as ISO-8601 UTC strings, as runs and files record it."""
        return {"since": _iso(self.since_ms), "until": _iso(self.until_ms - 1) if self.until_ms is not None else None}


def parse_range(since: str | None, until: str | None) -> TimeRange:
    """``--since`` / ``--until`` texts to a :class:`TimeRange`; a clear error names the bad option."""
    since_ms = _parse(since, "--since", end=False) if since else None
    until_ms = _parse(until, "--until", end=True) if until else None
    if since_ms is not None and until_ms is not None and until_ms <= since_ms:
        raise CoordgraphError(f"--until {until} is not after --since {since}", "Give the earlier date to --since.")
    return TimeRange(since_ms, until_ms)


def _parse(text: str, option: str, end: bool) -> int:
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CoordgraphError(
            f"{option} {text!r} is not an ISO date or time", "Use e.g. 2021-08-15 or 2021-08-15T14:30:00Z."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    ms = int(moment.timestamp() * 1000)
    if end:  # first excluded millisecond: the next day for a date, the next millisecond for a time
        ms += 86_400_000 if _DATE_ONLY.match(text) else 1
    return ms


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
