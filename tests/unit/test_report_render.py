"""Rendering a report from its dict, with no server: the dict is ``collect()``'s output for the shared report case
(``tests/unit/data/report_case.json``; ``tests/integration/test_report_fixture.py`` checks it still equals what
``collect`` returns on that case)."""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

import jsonschema
import pytest

from coordgraph.report import SCHEMA_PATH
from coordgraph.report.render import FIGURE_ONLY, flagged_accounts, html_text, to_csv, to_json, to_markdown, to_takedown
from helpers import FLAGGED, HOSTILE_NAME, HOSTILE_TEXT

FIXTURE = Path(__file__).parent / "data" / "report_case.json"


@pytest.fixture(scope="module")
def report() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_html_escapes_data_and_names_every_flagged_member(report):
    page = html_text(report)
    assert HOSTILE_NAME not in page and HOSTILE_TEXT not in page
    assert html.escape(HOSTILE_NAME) in page or "&#34;&gt;&lt;img" in page
    assert "Content-Security-Policy" in page and "Coordination graph" in page
    flagged = {a["id"] for _, a in flagged_accounts(report)}
    assert flagged == set(FLAGGED)
    assert all(account in page for account in flagged)


def test_markdown_lists_the_flagged_members_and_neutralises_markup(report, tmp_path):
    path = tmp_path / "report.md"
    to_markdown(report, path)
    text = path.read_text(encoding="utf-8")
    assert report["run"]["id"] in text
    assert "<img" not in text and "<script" not in text
    assert all(account in text for account in FLAGGED)


def test_csv_and_takedown_have_one_row_per_flagged_account(report, tmp_path):
    to_csv(report, tmp_path / "r.csv")
    to_takedown(report, tmp_path / "t.csv")
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    takedown = list(csv.DictReader((tmp_path / "t.csv").open(encoding="utf-8")))
    assert sorted(r["account_id"] for r in rows) == sorted(FLAGGED)
    assert len(takedown) == len(FLAGGED)


def test_json_is_the_report_without_figure_data_and_meets_the_schema(report, tmp_path):
    to_json(report, tmp_path / "r.json")
    written = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert written == {k: v for k, v in report.items() if k not in FIGURE_ONLY}
    assert "activity" in report and "activity" not in written
    jsonschema.validate(written, json.loads(SCHEMA_PATH.read_text()), format_checker=jsonschema.FormatChecker())


def test_a_time_range_is_stated_and_an_empty_one_said(report, tmp_path):
    assert "Time range" not in html_text(report)  # the case's run has no range
    ranged = {**report, "time_range": {"since": "2020-06-08T00:00:00.000Z", "until": None}}
    page = html_text(ranged)
    assert "Time range: <b>2020-06-08T00:00:00.000Z .. …</b>" in page
    assert "No engagement of the targets" not in page
    empty = json.loads(json.dumps(ranged))
    for row in empty["impact"]["period"]:
        for kind in ("retweets", "replies", "quotes", "engagements"):
            row[kind] = row[f"{kind}_total"] = 0
    path = tmp_path / "empty.md"
    to_markdown(empty, path)
    assert "No engagement of the targets' posts in 2020-06-08T00:00:00.000Z .. …" in path.read_text(encoding="utf-8")
    assert "No engagement of the targets' posts falls inside it" in html_text(empty)


def test_every_format_has_a_writer():
    from coordgraph.report import FORMATS
    from coordgraph.report.render import WRITERS

    assert set(WRITERS) == set(FORMATS)


def test_each_flagged_cluster_says_how_it_was_found_and_its_effect_against_the_floor(report, tmp_path):
    cluster = next(c for c in report["clusters"] if c["coordinated"])
    assert cluster["found_by"]["route"] == "sparse" and cluster["effect"]["floor"] == 2.0
    page = html_text(report)
    assert "Found by group route:" in page
    assert "the lower bound must be at least 2" in page and "95 % interval 3.6–9" in page
    to_markdown(report, tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "**Found by group route:**" in text and "the lower bound must be at least 2" in text
