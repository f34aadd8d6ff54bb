"""Impact shares as text, with their uncertainty when the impact rows carry it.

Rows of :func:`coordgraph.analytics.impact.impact` have ``<kind>_share`` (0–1) with the counts behind it; newer
rows also have ``<kind>_share_low`` / ``<kind>_share_high`` (95 % interval), ``<kind>_share_confident`` (the
share without the least certain members) and, with ``unconfirmed`` accounts held back by the clusters,
``<kind>_share_with_unconfirmed_high`` (the upper bound if they were counted too). Each is shown when present and a
number; older rows show as before.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

KINDS = ("retweets", "replies", "quotes", "engagements")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def pct(value: Any) -> str:
    """A 0–1 share as '43.9 %' ('–' when unknown)."""
    number = _number(value)
    return "–" if number is None else f"{100 * number:.1f} %"


def interval(row: Mapping[str, Any], kind: str) -> tuple[float, float] | None:
    """The 95 % interval of a share, when the row has one."""
    low, high = _number(row.get(f"{kind}_share_low")), _number(row.get(f"{kind}_share_high"))
    return None if low is None or high is None else (low, high)


def confident(row: Mapping[str, Any], kind: str) -> float | None:
    """The share without the least certain members, when the row has it."""
    return _number(row.get(f"{kind}_share_confident"))


def held_back(row: Mapping[str, Any], kind: str) -> tuple[int, float] | None:
    """(accounts held back as unconfirmed, the share's upper bound with them), when the row has some."""
    count, high = row.get("unconfirmed"), _number(row.get(f"{kind}_share_with_unconfirmed_high"))
    if isinstance(count, bool) or not isinstance(count, (int, float)) or not math.isfinite(count) or count <= 0:
        return None
    return None if high is None else (int(count), high)


def share_cell(row: Mapping[str, Any], kind: str, counts: bool = True) -> str:
    """'43.9 % (9137/20801), 95 % 41.0–46.8 %, confident 40.2 %, up to 47.5 % with 12 unconfirmed' with the parts
    the row has."""
    text = pct(row.get(f"{kind}_share"))
    if counts:
        text += f" ({row.get(kind)}/{row.get(f'{kind}_total')})"
    bounds = interval(row, kind)
    if bounds:
        text += f", 95 % {100 * bounds[0]:.1f}–{100 * bounds[1]:.1f} %"
    sure = confident(row, kind)
    if sure is not None:
        text += f", confident {100 * sure:.1f} %"
    held = held_back(row, kind)
    if held:
        text += f", up to {100 * held[1]:.1f} % with {held[0]} unconfirmed"
    return text


def has_uncertainty(rows: list[Mapping[str, Any]]) -> bool:
    """Whether any row carries an interval or a confident share."""
    return any(interval(r, k) or confident(r, k) is not None for r in rows for k in KINDS)
