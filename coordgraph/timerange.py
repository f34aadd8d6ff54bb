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

    def within(self, outer: TimeRange) -> bool:
        """Whether every moment of this range lies inside ``outer``."""
        if outer.since_ms is not None and (self.since_ms is None or self.since_ms < outer.since_ms):
            return False
        return outer.until_ms is None or (self.until_ms is not None and self.until_ms <= outer.until_ms)

    def describe(self) -> str:
        """The range for people, e.g. ``2021-08-15T00:00:00Z .. 2021-08-31T23:59:59Z`` ("…" for an open end)."""
        record = self.as_record()
        return " .. ".join((record[side] or "…").replace(".000Z", "Z").replace(".999Z", "Z") for side in ("since", "until"))

    @classmethod
    def from_record(cls, record: dict | None) -> TimeRange:
        """The range :meth:`as_record` wrote (``None`` or empty: unbounded)."""
        record = record or {}
        return parse_range(record.get("since"), record.get("until"))


def for_run(run_range: TimeRange, since: str | None, until: str | None, run_id: str) -> TimeRange:
    """The range to measure a run's clusters over: ``--since``/``--until`` where given, the run's own bounds
    elsewhere (so a run detected on a range is measured on that range by default).

    A range reaching outside the run's range is refused: the run's clusters were found from the actions inside
    its range only, so their share of activity outside it is a different question (measure the members as an
    account set for that).
    """
    asked = parse_range(since, until)
    chosen = TimeRange(asked.since_ms if since else run_range.since_ms, asked.until_ms if until else run_range.until_ms)
    if chosen.until_ms is not None and chosen.since_ms is not None and chosen.until_ms <= chosen.since_ms:
        raise CoordgraphError(f"The range {chosen.describe()} is empty.", "Give an --until after --since.")
    if not chosen.within(run_range):
        raise CoordgraphError(
            f"Run {run_id} was detected on the actions of {run_range.describe()} only; {chosen.describe()} reaches outside it.",
            "Choose --since/--until inside the run's range, run `coordgraph detect` on the wider range, or measure "
            "the members as an account set (`coordgraph impact --accounts-file`).",
        )
    return chosen


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
