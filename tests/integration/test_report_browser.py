"""The HTML report in a real headless Chromium (Debian's package, driven over the DevTools protocol) and the
PDF it prints: the interactive graph draws, hovering and clicking show a dossier, nothing leaves the file,
hostile names stay text; the PDF has the report's headings.

The case is the known investigation graph of ``test_reports_graph`` made to look like a detection run of today:
dossiers as detection writes them (one member attached by the membership test), Twitter post ids, an account
without a handle, an account named ``<img src=x onerror=alert(1)>``, skipped stages and a cluster's reason.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from cdp import Browser, chromium_path

from coordgraph.report import write_report
from helpers import FLAGGED, HOSTILE_NAME, RUN_ID, build_case

XSS_NAME = "<img src=x onerror=alert(1)>"
SKIPPED = [{"stage": "rapid_follow_on", "reason": "no :Target accounts are marked"},
           {"stage": "impact", "reason": "no :Target accounts are marked"}]
NOT_COORDINATED = "failed the group test against chance"
# m4 joined through the membership test: its co-actions with m1 and m3 and a creation-burst link to m2.
ATTACHED_EVIDENCE = {
    "account_id": "m4", "signals": {}, "links": [], "account_signals": {},
    "benchmark": {"co_actions_with_members": 3, "expected_under_null": 0.4, "p_value": 0.0005, "q_value": 0.002, "window_s": 60},
    "membership": {"traces": {"timing": {"near_member_actions": 3, "co_actions_with_members": 7, "expected": 0.9, "p_value": 0.0005},
                              "creation_burst": {"strength_to_members": 2.1, "p_value": 0.004, "members": ["m2"]}},
                   "timing_p": 0.0005, "corroboration_p": 0.004, "combined_p": 0.00003, "q_value": 0.002, "pool": 40},
    "attachment": [{"signal": "co_retweet", "partner": "m1", "count": 2, "posts": ["1272000000000000001", "1272000000000000002"]},
                   {"signal": "co_retweet", "partner": "m3", "count": 1, "posts": ["1272000000000000001"]}],
}


def _chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: scripts/bootstrap.sh installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def case(driver):
    from helpers import wipe

    wipe(driver)
    build_case(driver)
    with driver.session() as s:
        s.run("MATCH (a:Account {id: 'm3'}) SET a.name = $name", name=XSS_NAME).consume()
        s.run("MATCH (a:Account {id: 'm1'}) REMOVE a.username, a.username_lc").consume()
        s.run("""MATCH (:Account {id: 'm4'})-[m:MEMBER_OF {run_id: $run}]->() SET m.evidence = $evidence""",
              run=RUN_ID, evidence=json.dumps(ATTACHED_EVIDENCE)).consume()
        s.run("""MATCH (:Account)-[e:COORDINATED {run_id: $run}]->(:Account)
                 SET e.posts = [p IN e.posts | CASE p WHEN 'p1' THEN '1272000000000000001'
                                                       WHEN 'p3' THEN '1272000000000000003' ELSE p END]""",
              run=RUN_ID).consume()
        s.run("MATCH (r:Run {id: $run}) SET r.skipped = $skipped", run=RUN_ID, skipped=json.dumps(SKIPPED)).consume()
        s.run("MATCH (c:Cluster {run_id: $run, number: 2}) SET c.reason = $reason", run=RUN_ID,
              reason=NOT_COORDINATED).consume()
    yield driver
    wipe(driver)


@pytest.fixture(scope="module")
def page(case, tmp_path_factory):
    """The HTML report opened in headless Chromium, with its graph drawn."""
    out = tmp_path_factory.mktemp("browser")
    html = write_report(case, None, "html", out / "report.html")
    browser = Browser(_chromium())
    try:
        browser.open(html.as_uri(), "document.documentElement.getAttribute('data-report-ready') === '1'")
        yield browser, html, out
    finally:
        browser.close()


def _screens(out: Path) -> Path:
    """Screenshots go to COORDGRAPH_REPORT_SCREENSHOTS when set (to refresh docs/), else beside the report."""
    folder = Path(os.environ.get("COORDGRAPH_REPORT_SCREENSHOTS") or out)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _node_point(browser: Browser, account: str) -> tuple[float, float]:
    """Viewport coordinates of an account's node, after scrolling its graph into view."""
    return tuple(browser.evaluate(f"""(() => {{
        const box = document.querySelector('.cluster-graph');
        box.scrollIntoView({{block: 'center'}});
        const rect = box.querySelector('.cy').getBoundingClientRect();
        const p = box.cy.getElementById({json.dumps(account)}).renderedPosition();
        return [rect.left + p.x, rect.top + p.y];
    }})()"""))


def test_graph_draws_every_member_and_link(page):
    browser, _, out = page
    drawn = browser.evaluate("""(() => { const b = document.querySelector('.cluster-graph');
        return {nodes: +b.getAttribute('data-drawn-nodes'), edges: +b.getAttribute('data-drawn-edges'),
                dashed: b.cy.edges('[?dashed]').length, error: b.getAttribute('data-error'),
                canvas: b.querySelectorAll('canvas').length}; })()""")
    assert drawn["error"] is None
    assert drawn["nodes"] == len(FLAGGED)
    # 6 evidence edges among the flagged members, plus m4's membership-test links: m1, m3 (co-actions), m2 (burst)
    assert drawn["edges"] == 6 + 3 and drawn["dashed"] == 3
    assert drawn["canvas"] >= 1
    # The filter hides a signal's edges.
    visible = browser.evaluate("""(() => { const b = document.querySelector('.cluster-graph');
        const box = b.querySelector('input[data-signal="rapid_follow_on"]'); box.click();
        const n = +b.getAttribute('data-visible-edges'); box.click(); return n; })()""")
    assert visible == 9 - 1
    browser.screenshot(_screens(out) / "06-report-graph.png")


def test_hover_and_click_show_the_dossier(page):
    browser, _, out = page
    x, y = _node_point(browser, "m3")
    browser.mouse("mouseMoved", x, y)
    browser.pump(0.3)
    dossier = browser.evaluate("document.querySelector('.cluster-graph .dossier').textContent")
    assert "@user_m3" in dossier and XSS_NAME in dossier  # the hostile name is shown, as text
    x, y = _node_point(browser, "m4")
    browser.mouse("click", x, y)
    browser.pump(0.3)
    state = browser.evaluate("""(() => { const b = document.querySelector('.cluster-graph');
        return {text: b.querySelector('.dossier').textContent,
                links: [...b.querySelectorAll('.dossier a')].map(a => a.href),
                faded: b.cy.elements('.faded').length, focus: b.cy.nodes('.focus').map(n => n.id())}; })()""")
    assert "@user_m4" in state["text"] and "attached by the membership test" in state["text"]
    assert "timing p = 0.0005" in state["text"]
    assert "https://x.com/i/status/1272000000000000001" in state["links"]
    # m4's neighbourhood is highlighted: every member is linked to it; the 4 links among the others fade.
    assert set(state["focus"]) == {"m1", "m2", "m3", "m4"} and state["faded"] == 4
    browser.screenshot(_screens(out) / "07-report-dossier.png")


def test_nothing_leaves_the_file_and_the_policy_blocks_requests(page):
    browser, html, _ = page
    blocked = browser.evaluate("""fetch('http://127.0.0.1:9/leak').then(() => 'sent', e => 'blocked')""")
    assert blocked == "blocked"
    browser.evaluate("""(() => { const i = document.createElement('img'); i.src = 'http://127.0.0.1:9/pixel.png';
                                 document.body.appendChild(i); return true; })()""")
    browser.pump(0.5)
    requests = browser.requests()
    assert html.as_uri() in requests
    # Chromium announces a request before the policy stops it: those it blocked never left the page.
    blocked = browser.blocked_requests()
    assert "http://127.0.0.1:9/pixel.png" in blocked.values()
    assert [u for rid, u in browser.request_ids() if not (u.startswith("file:") or u.startswith("data:"))
            and rid not in blocked] == []
    assert "Page.javascriptDialogOpening" not in browser.event_names()  # no alert() ran
    policy = browser.evaluate("document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
    assert "default-src 'none'" in policy and "unsafe-eval" not in policy
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+';", policy)


def test_hostile_names_are_text_and_handles_are_honest(page):
    browser, _, out = page
    found = browser.evaluate(f"""(() => ({{
        text: document.body.innerText.includes({json.dumps(XSS_NAME)}),
        other: document.body.innerText.includes({json.dumps(HOSTILE_NAME)}),
        imgs: document.querySelectorAll('img[src="x"]').length,
        fake: document.body.innerText.includes('@m1'),
        nohandle: document.body.innerText.includes('account m1'),
        skipped: document.getElementById('skipped').innerText,
        reason: document.body.innerText.includes({json.dumps(NOT_COORDINATED)}) }}))()""")
    assert found["text"] and found["other"] and found["imgs"] == 0
    assert not found["fake"] and found["nohandle"]
    assert "rapid_follow_on" in found["skipped"] and "no :Target accounts are marked" in found["skipped"]
    assert found["reason"]
    # The member list filters and sorts.
    shown = browser.evaluate("""(() => { const w = document.querySelector('.member-list');
        const s = w.querySelector('input[type=search]'); s.value = 'NAME M4';
        s.dispatchEvent(new Event('input')); const n = [...w.querySelectorAll('tbody tr')].filter(r => !r.hidden).length;
        s.value = ''; s.dispatchEvent(new Event('input'));
        const sel = w.querySelector('select'); sel.value = 'created'; sel.dispatchEvent(new Event('change'));
        const order = [...w.querySelectorAll('tbody tr')].map(r => r.querySelector('code').textContent);
        return {n, order}; })()""")
    assert shown["n"] == 1 and shown["order"] == ["m1", "m2", "m3", "m4"]  # created a minute apart in that order
    browser.evaluate("document.querySelector('.member-list').scrollIntoView()")
    browser.screenshot(_screens(out) / "08-report-members.png")


def test_pdf_has_the_headings_dossiers_and_figures(case, tmp_path):
    from pypdf import PdfReader

    _chromium()
    path = write_report(case, None, "pdf", tmp_path / "report.pdf")
    reader = PdfReader(path)
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))  # ligatures
    for heading in ("Coordinated amplification report", "Summary", "Impact on the targets", "Cluster 1",
                    "Coordination graph", "Members and dossiers", "Strongest evidence links", "Reproducibility",
                    "Skipped stages", "Input sources"):
        assert heading in text, heading
    assert "@user_m2" in text and "attached by the membership test" in text and RUN_ID in text
    assert len(reader.pages) >= 3
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 3  # the static cluster graph and the other figures are printed


def test_every_format_says_why_in_words_with_handles(case, tmp_path):
    """CSV, takedown, Markdown and JSON: the attached member's timing test and identity links in words, partners
    by handle, no made-up handle for the account without one, skipped stages and the cluster's reason."""
    import csv

    paths = {fmt: write_report(case, None, fmt, tmp_path / f"r.{fmt}") for fmt in ("csv", "takedown", "md", "json")}
    takedown = {r["id"]: r for r in csv.DictReader(paths["takedown"].open(newline=""))}
    m4 = takedown["m4"]["evidence_summary"]
    assert "attached by the membership test (q = 0.002)" in m4
    assert "acted within 60 s of members 7 times vs 0.9 expected, beside 2 members (account m1, @user_m3) (timing p = 0.0005)" in m4
    assert "created within 2 min of 1 member (@user_m2) on 2019-04-28" in m4  # m2 was created two minutes before m4
    assert "account_id=" not in m4
    assert takedown["m1"]["handle"] == "" and "@m1" not in "".join(r["evidence_summary"] for r in takedown.values())
    assert "retweeted 3 posts within 60 s of 3 members (@user_m2, @user_m3, @user_m4) [co_retweet]" in takedown["m1"]["evidence_summary"]
    rows = {r["account_id"]: r for r in csv.DictReader(paths["csv"].open(newline=""))}
    assert rows["m4"]["attached_by_membership_test"] == "yes" and rows["m1"]["username"] == ""
    assert rows["m1"]["run_skipped"] == "rapid_follow_on: no :Target accounts are marked; impact: no :Target accounts are marked"
    md = paths["md"].read_text()
    assert "| account m1 | m1 |" in md and "@m1" not in md
    assert "**rapid\\_follow\\_on**: no :Target accounts are marked" in md
    assert f"| 2 | 2 | 0.4 | 0.8 | {NOT_COORDINATED} |" in md
    assert (tmp_path / "r_figures" / "cluster-1-graph.png").stat().st_size > 1000
    assert "(r_figures/cluster-1-graph.png)" in md
    doc = json.loads(paths["json"].read_text())
    assert doc["run"]["skipped"] == SKIPPED
    assert [c["reason"] for c in doc["clusters"]] == [None, NOT_COORDINATED]
    m4_json = next(a for a in doc["clusters"][0]["accounts"] if a["id"] == "m4")
    assert m4_json["attached"] and m4_json["evidence_text"] == m4.split("; ", 1)[1]


def test_impact_uncertainty_is_shown_when_the_rows_carry_it(case, tmp_path):
    from coordgraph.report import collect
    from coordgraph.report.render import html_text, to_markdown

    report = collect(case, RUN_ID)
    measured = [r for r in report["impact"]["period"] if r.get("retweets_share") is not None]
    assert measured and all(r["retweets_share_low"] <= r["retweets_share"] <= r["retweets_share_high"] for r in measured)
    for rows in (report["impact"]["period"], report["impact"]["weekly"]):
        for row in rows:
            for kind in ("retweets", "replies", "quotes", "engagements"):
                row[f"{kind}_share_low"], row[f"{kind}_share_high"] = 0.125, 0.75
                row[f"{kind}_share_confident"] = 0.25
    page = html_text(report)
    assert "95 % 12.5–75.0 %, confident 25.0 %" in page and "least certain members" in page
    to_markdown(report, tmp_path / "r.md")
    md = (tmp_path / "r.md").read_text()
    assert "| @AmbassadorX | all flagged | 4 | 52.4 % (11/21), 95 % 12.5–75.0 %, confident 25.0 % |" in md
