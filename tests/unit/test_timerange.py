"""--since / --until: inclusive ends, a date is its whole day, UTC unless a zone is given, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from coordgraph.errors import CoordgraphError
from coordgraph.timerange import TimeRange, for_run, parse_range

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


def test_record_round_trip_within_and_describe():
    r = parse_range("2021-08-15", "2021-08-16")
    assert TimeRange.from_record(r.as_record()) == r
    assert TimeRange.from_record(None) == TimeRange() == TimeRange.from_record({"since": None, "until": None})
    assert parse_range("2021-08-16", "2021-08-16").within(r)
    assert not parse_range("2021-08-14", "2021-08-16").within(r)
    assert not parse_range("2021-08-15", None).within(r)  # open end reaches past the 16th
    assert r.within(TimeRange()) and not TimeRange().within(r)
    assert r.describe() == "2021-08-15T00:00:00Z .. 2021-08-16T23:59:59Z"  # shown to the second
    assert parse_range(None, "2021-08-16T12:00:00Z").describe() == "… .. 2021-08-16T12:00:00Z"


def test_for_run_defaults_to_the_runs_range_and_refuses_outside_it():
    run = parse_range("2021-08-15", "2021-08-20")
    assert for_run(run, None, None, "r1") == run
    assert for_run(TimeRange(), None, None, "r1") == TimeRange()
    # one side given: the other side stays the run's
    assert for_run(run, "2021-08-17", None, "r1") == TimeRange(AUG15 + 2 * DAY, run.until_ms)
    assert for_run(TimeRange(), None, "2021-08-15", "r1") == TimeRange(None, AUG15 + DAY)
    with pytest.raises(CoordgraphError, match="r1 was detected on the actions of 2021-08-15T00:00:00Z"):
        for_run(run, "2021-08-14", None, "r1")
    with pytest.raises(CoordgraphError, match="reaches outside"):
        for_run(run, None, "2021-08-21", "r1")
    with pytest.raises(CoordgraphError, match="is empty"):
        for_run(run, "2021-08-25", None, "r1")  # after the run's own end
