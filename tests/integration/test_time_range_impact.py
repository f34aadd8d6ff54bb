"""`--since` / `--until` on `impact` and `report` against the fully known report case: only target posts and
engagements inside the range count, a run detected on a range is measured on it by default, a range outside the
run's is refused, and an empty range says so."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from coordgraph import runs
from coordgraph.analytics.impact import ALL_FLAGGED, impact
from coordgraph.cli.app import app
from coordgraph.report import collect
from coordgraph.timerange import TimeRange, parse_range
from helpers import FLAGGED, POSTS, RUN_ID, RUN_PARAMS, build_case, counted_engagements

KIND_COL = {"retweet": "retweets", "reply": "replies", "quote": "quotes"}
# Ends inside p2's engagements: p2 is posted 2020-06-04T00:00:00Z, m1 retweets it 6 s later, m2 11 s later.
CUT = ("2020-06-02", "2020-06-04T00:00:10Z")


@pytest.fixture
def case(clean_db):
    build_case(clean_db)
    return clean_db


@pytest.fixture
def cli(case, neo4j_conn, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_conn.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_conn.password)
    return CliRunner()


def expected(time_range: TimeRange, members: set[str] | None) -> Counter:
    """(target, kind) -> engagements inside the range on posts created inside it (computed without Cypher)."""
    out: Counter = Counter()
    for account, kind, post, target, at in counted_engagements():
        if time_range.contains(at) and time_range.contains(POSTS[post][1]) and (members is None or account in members):
            out[(target, kind)] += 1
    return out


def _record_range_on_run(driver, since: str, until: str) -> None:
    params = {**RUN_PARAMS, "time_range": parse_range(since, until).as_record()}
    driver.execute_query("MATCH (r:Run {id: $id}) SET r.params = $params", id=RUN_ID, params=json.dumps(params))


def test_a_range_cuts_posts_and_engagements(case):
    cut = parse_range(*CUT)
    whole = impact(case, RUN_ID, n_boot=50)
    frame = impact(case, RUN_ID, time_range=cut, n_boot=50)
    everyone, flagged = expected(cut, None), expected(cut, set(FLAGGED))
    for _, row in frame[frame["group"] == ALL_FLAGGED].iterrows():
        for kind, col in KIND_COL.items():
            assert (row[col], row[f"{col}_total"]) == (flagged[(row["target_id"], kind)], everyone[(row["target_id"], kind)])
    t1 = frame[(frame["target_id"] == "t1") & (frame["group"] == ALL_FLAGGED)].iloc[0]
    t1_whole = whole[(whole["target_id"] == "t1") & (whole["group"] == ALL_FLAGGED)].iloc[0]
    # p1 whole (4 of 6 retweets), p2 only m1's retweet (m2's at 11 s and the rest are after the cut); p3, p4 later.
    assert (t1["retweets"], t1["retweets_total"]) == (5, 7)
    assert (t1_whole["retweets"], t1_whole["retweets_total"]) == (11, 21)
    assert t1["replies_total"] == 0  # the replies to p2 come 20 s and more after it
    assert (t1["since"], t1["until"]) == ("2020-06-02T00:00:00.000Z", "2020-06-04T00:00:10.000Z")
    assert whole["since"].isna().all() and whole["until"].isna().all()


def test_weekly_rows_stay_inside_the_range(case):
    frame = impact(case, RUN_ID, weekly=True, time_range=parse_range("2020-06-08", "2020-06-14"), n_boot=50)
    assert set(frame["week"]) == {"2020-06-08"}
    row = frame[(frame["target_id"] == "t1") & (frame["group"] == ALL_FLAGGED)].iloc[0]
    assert (row["retweets"], row["retweets_total"], row["quotes"], row["quotes_total"]) == (4, 7, 1, 2)


def test_cli_impact_defaults_to_the_runs_range_and_refuses_outside_it(cli, case):
    _record_range_on_run(case, *CUT)
    result = cli.invoke(app, ["impact", "--run", RUN_ID[:13], "--target", "t1", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    flagged = next(r for r in rows if r["group"] == ALL_FLAGGED)
    assert (flagged["retweets"], flagged["retweets_total"], flagged["since"]) == (5, 7, "2020-06-02T00:00:00.000Z")
    narrower = cli.invoke(app, ["impact", "--since", "2020-06-03", "--target", "t1", "--format", "json"])
    assert narrower.exit_code == 0, narrower.output
    flagged = next(json.loads(line) for line in narrower.stdout.splitlines() if '"all flagged"' in line)
    assert (flagged["retweets"], flagged["retweets_total"]) == (1, 1)  # p2 and m1's retweet; m2's is 1 s too late
    outside = cli.invoke(app, ["impact", "--until", "2020-06-30"])
    assert outside.exit_code == 1
    assert "was detected on the actions of 2020-06-02T00:00:00Z .. 2020-06-04T00:00:10Z only" in outside.output
    table = cli.invoke(app, ["impact", "--target", "t1"], env={"COLUMNS": "200"})
    assert "2020-06-02T00:00:00Z .. 2020-06-04T00:00:10Z" in table.output


def test_cli_impact_empty_range_says_so(cli):
    result = cli.invoke(app, ["impact", "--since", "2019-01-01", "--until", "2019-01-31"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "No engagement of the targets' posts in 2019-01-01T00:00:00Z .. 2019-01-31T23:59:59Z" in result.output
    accounts = cli.invoke(app, ["impact", "--accounts", "m1", "--since", "2020-06-08", "--format", "json"])
    rows = [json.loads(line) for line in accounts.stdout.splitlines()]
    t2 = next(r for r in rows if r["target_id"] == "t2")
    assert (t2["engagements_total"], t2["since"]) == (0, "2020-06-08T00:00:00.000Z")  # q1 was posted on 2020-06-03


def test_report_counts_impact_and_activity_inside_the_range(cli, case, tmp_path):
    cut = parse_range(*CUT)
    report = collect(case, RUN_ID, time_range=cut)
    assert report["time_range"] == cut.as_record()
    days = {r["day"] for r in report["activity"]}
    assert days and all(cut.contains(d * 86_400_000) or d * 86_400_000 < cut.until_ms for d in days)
    assert max(days) * 86_400_000 < cut.until_ms and min(days) * 86_400_000 >= cut.since_ms
    whole = collect(case, RUN_ID)
    assert sum(r["n"] for r in report["activity"]) < sum(r["n"] for r in whole["activity"])
    assert whole["time_range"] == {"since": None, "until": None}
    t1 = next(r for r in report["impact"]["period"] if r["target_id"] == "t1" and r["group"] == ALL_FLAGGED)
    assert (t1["retweets"], t1["retweets_total"]) == (5, 7)

    _record_range_on_run(case, *CUT)
    out = tmp_path / "r.json"
    result = cli.invoke(app, ["report", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["time_range"] == cut.as_record()
    md = tmp_path / "r.md"
    result = cli.invoke(app, ["report", "--format", "md", "--since", "2020-06-03", "-o", str(md)])
    assert result.exit_code == 0, result.output
    assert "Time range: **2020-06-03T00:00:00.000Z .. 2020-06-04T00:00:10.000Z**" in md.read_text()
    refused = cli.invoke(app, ["report", "--format", "md", "--since", "2020-05-01", "-o", str(md)])
    assert refused.exit_code == 1 and "reaches outside it" in refused.output


def test_report_states_an_empty_range(case, tmp_path):
    from coordgraph.report import write_report

    _record_range_on_run(case, "2019-01-01", "2019-12-31")
    md = write_report(case, RUN_ID, "md", tmp_path / "r.md")
    text = md.read_text()
    assert "No engagement of the targets' posts in 2019-01-01T00:00:00.000Z .. 2019-12-31T23:59:59.999Z" in text
    assert runs.time_range(case, RUN_ID) == parse_range("2019-01-01", "2019-12-31")
