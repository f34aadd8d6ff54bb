"""--since / --until: inclusive ends, a date is its whole day, UTC unless a zone is given, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from coordgraph.errors import CoordgraphError
from coordgraph.timerange import TimeRange, parse_range

DAY = 86_400_000
AUG15 = 1_628_985_600_000  # 2021-08-15T00:00:00Z


def test_dates_cover_whole_days():
    r = parse_range("2021-08-15", "2021-08-16")
    assert (r.since_ms, r.until_ms) == (AUG15, AUG15 + 2 * DAY)
    at = np.array([AUG15 - 1, AUG15, AUG15 + 2 * DAY - 1, AUG15 + 2 * DAY])
    assert r.contains(at).tolist() == [False, True, True, False]
    assert r.as_record() == {"since": "2021-08-15T00:00:00.000Z", "until": "2021-08-16T23:59:59.999Z"}


def test_times_zones_and_open_ends():
    r = parse_range("2021-08-15T02:00:00+02:00", None)
    assert r.since_ms == AUG15 and r.until_ms is None and r.bounded
    r = parse_range(None, "2021-08-15T00:00:00Z")
    assert r.until_ms == AUG15 + 1 and r.contains(AUG15) and not r.contains(AUG15 + 1)
    assert not TimeRange().bounded and TimeRange().contains(np.array([0, 1])).all()


@pytest.mark.parametrize("since,until,message", [
    ("yesterday", None, "--since 'yesterday' is not an ISO date"),
    (None, "2021-13-01", "--until '2021-13-01' is not an ISO date"),
    ("2021-08-16", "2021-08-15", "is not after --since"),
])
def test_bad_ranges_name_the_option(since, until, message):
    with pytest.raises(CoordgraphError, match=message):
        parse_range(since, until)
