"""Detection's investigator options: the faster nested window and a time range (``--fast-window``,
``--since``/``--until``), on the planted scenario of the detection tests."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pandas as pd
import pytest

from coordgraph.analytics.detect import DetectParams, detect
from coordgraph.analytics.signals import coaction
from helpers import HOUR, NETWORK, T0, filled, plant


@pytest.fixture(scope="module")
def planted(driver):
    with filled(driver, plant):
        yield driver


def _pairs_within(events: pd.DataFrame, window_ms: int) -> dict[tuple[str, str], int]:
    """Objects two different accounts acted on at most ``window_ms`` apart, by a plain self-join."""
    m = events.merge(events, on="obj", suffixes=("", "_y"))
    m = m[(m["acc"] < m["acc_y"]) & ((m["at"] - m["at_y"]).abs() <= window_ms)]
    return {k: int(v) for k, v in m.groupby(["acc", "acc_y"])["obj"].nunique().items()}


def _edges(driver, run_id):
    with driver.session() as s:
        return [r.data() for r in s.run(
            "MATCH (a)-[e:COORDINATED {run_id: $id, signal: 'co_retweet'}]->(b) "
            "RETURN a.id AS a, b.id AS b, e.count AS count, e.fast_count AS fast_count, "
            "e.first_at.epochMillis AS first_at, e.last_at.epochMillis AS last_at", id=run_id)]


def test_fast_window_flags_pairs_and_members(planted):
    result = detect(planted, DetectParams(signals=("co_retweet", "rapid_follow_on"), n_null=300, fast_window_s=10))
    assert result.flagged_accounts == NETWORK
    fast = _pairs_within(coaction.coaction_events(planted, "co_retweet"), 10_000)
    edges = _edges(planted, result.run_id)
    assert edges and all(e["fast_count"] == fast.get((e["a"], e["b"]), 0) <= e["count"] for e in edges)
    assert any(e["fast_count"] > 0 for e in edges) and any(e["fast_count"] < e["count"] for e in edges)
    members = result.accounts[result.accounts["coordinated"]]
    fast_members = set()
    for row in members.to_dict("records"):
        dossier = json.loads(row["evidence"])
        summary = dossier["fast_window"]
        partners = {p for (a, b), n in fast.items() if n for p in (a, b) if row["account_id"] in (a, b) and p != row["account_id"]}
        partners &= set(NETWORK)
        assert summary["window_s"] == 10 and summary["partners"] == len(partners) and summary["fast"] is bool(partners)
        assert all("fast_count" in link for link in dossier["links"])
        if summary["fast"]:
            fast_members.add(row["account_id"])
    cluster = result.clusters[result.clusters["coordinated"]].iloc[0]
    assert json.loads(cluster["signals"])["fast_window"] == {"window_s": 10, "members": sorted(fast_members)}
    assert fast_members  # the network acts within 40 s: several members are this fast


def test_fast_window_off_and_wider_than_window(planted):
    result = detect(planted, DetectParams(signals=("co_retweet",), n_null=300, fast_window_s=0))
    assert all(e["fast_count"] is None for e in _edges(planted, result.run_id))
    assert all("fast_window" not in json.loads(r["evidence"]) for r in result.accounts.to_dict("records"))
    with pytest.raises(ValueError, match="fast window"):
        DetectParams(window_s=30, fast_window_s=45).selected()


def test_time_range_bounds_actions_and_is_recorded(planted):
    since = datetime.fromtimestamp(T0 / 1000 + 3600, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    until_ms = T0 + 20 * 6 * HOUR
    until = datetime.fromtimestamp(until_ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = detect(planted, DetectParams(signals=("co_retweet", "rapid_follow_on"), n_null=300, since=since, until=until))
    lo = T0 + HOUR
    events = coaction.coaction_events(planted, "co_retweet")
    inside = events[(events["at"] >= lo) & (events["at"] <= until_ms)]
    expected = {k: n for k, n in _pairs_within(inside, 60_000).items() if n >= 2}
    edges = _edges(planted, result.run_id)
    assert edges
    for e in edges:
        assert lo <= e["first_at"] and e["last_at"] <= until_ms
        assert e["count"] == expected[(e["a"], e["b"])]
    full = _pairs_within(events, 60_000)
    assert any(full[(e["a"], e["b"])] > e["count"] for e in edges)  # the range really dropped actions
    assert set(result.flagged_accounts) <= set(NETWORK)
    with planted.session() as s:
        params = json.loads(s.run("MATCH (r:Run {id: $id}) RETURN r.params AS p", id=result.run_id).single()["p"])
    assert params["since"] == since and params["until"] == until
    assert params["time_range"] == {"since": since.replace("Z", ".000Z"), "until": until.replace("Z", ".000Z")}
