"""Reports and exports: contents equal the graph, hostile text is escaped, every export parses."""

from __future__ import annotations

import csv
import json
import re

import jsonschema
import networkx as nx
import pytest
from typer.testing import CliRunner

from coordgraph import __version__
from coordgraph.cli.app import app
from coordgraph.errors import CoordgraphError
from coordgraph.report import SCHEMA_PATH, write_report
from helpers import (
    EDGES,
    FLAGGED,
    HOSTILE_NAME,
    HOSTILE_TEXT,
    OLD_RUN_ID,
    RUN_ID,
    RUN_PARAMS,
    SOURCES,
    counted_engagements,
)


@pytest.fixture(scope="module")
def reports(case, tmp_path_factory):
    """Every format of the latest run's report, written once."""
    out = tmp_path_factory.mktemp("reports")
    return {fmt: write_report(case, None, fmt, out / f"report.{fmt}")
            for fmt in ("html", "md", "json", "csv", "takedown", "gexf", "graphml")}


def cypher_rows(driver, query, **params):
    with driver.session() as s:
        return [r.data() for r in s.run(query, params)]


def test_json_validates_against_the_schema_and_equals_the_graph(case, reports):
    doc = json.loads(reports["json"].read_text())
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()), format_checker=jsonschema.FormatChecker())
    assert doc["run"]["id"] == RUN_ID and doc["run"]["params"] == RUN_PARAMS
    assert doc["coordgraph_version"] == __version__
    assert {s["sha256"] for s in doc["sources"]} == {s["sha256"] for s in SOURCES}
    graph_clusters = cypher_rows(case, """
        MATCH (a:Account)-[m:MEMBER_OF {run_id: $run}]->(c:Cluster {run_id: $run})
        RETURN c.number AS number, c.p_value AS p, collect(a.id) AS members, collect(m.score) AS scores
        """, run=RUN_ID)
    by_number = {c["number"]: c for c in doc["clusters"]}
    assert set(by_number) == {c["number"] for c in graph_clusters}
    for gc in graph_clusters:
        c = by_number[gc["number"]]
        assert c["p_value"] == gc["p"]
        assert sorted(a["id"] for a in c["accounts"]) == sorted(gc["members"])
        assert sorted(a["score"] for a in c["accounts"]) == sorted(gc["scores"])
    flagged = by_number[1]
    assert flagged["coordinated"] and flagged["id"] == f"{RUN_ID}/1"
    assert flagged["status"] == {"active": 1, "suspended": 2, "deleted": 1, "unknown": 0,
                                 "first_checked": "2021-01-15T00:00:00+00:00", "last_checked": "2021-01-16T00:00:00+00:00"}
    m1 = next(a for a in flagged["accounts"] if a["id"] == "m1")
    assert m1["evidence"] == {"co_retweet": {"partners": 3}, "creation_burst_min": 1.0}
    assert m1["strongest"]["partner"] == "m2" and m1["strongest"]["weight"] == 0.95
    # Evidence edges of the run only, among the cluster's members.
    edges = cypher_rows(case, "MATCH (a)-[e:COORDINATED {run_id: $run}]->(b) WHERE a.id IN $ids AND b.id IN $ids "
                              "RETURN count(e) AS n", run=RUN_ID, ids=FLAGGED)[0]["n"]
    assert len(flagged["edges"]) == edges == sum(1 for e in EDGES if e[0] in FLAGGED)


def test_json_impact_equals_independent_cypher_counts(case, reports):
    doc = json.loads(reports["json"].read_text())
    counts = cypher_rows(case, """
        MATCH (t:Target)-[:POSTED]->(p:Tweet)<-[r:RETWEETED]-(a:Account)
        WHERE a <> t
        RETURN t.id AS target, count(r) AS total,
               count(CASE WHEN EXISTS { (a)-[:MEMBER_OF {run_id: $run}]->(:Cluster {coordinated: true}) } THEN 1 END) AS flagged
        """, run=RUN_ID)
    period = {(r["target_id"], r["group"]): r for r in doc["impact"]["period"]}
    for c in counts:
        row = period[(c["target"], "all flagged")]
        assert (row["retweets"], row["retweets_total"]) == (c["flagged"], c["total"])
        assert row["retweets_share"] == pytest.approx(c["flagged"] / c["total"])
    weekly_sum = sum(r["engagements"] for r in doc["impact"]["weekly"] if r["group"] == "all flagged")
    assert weekly_sum == sum(1 for e in counted_engagements() if e[0] in FLAGGED)
    # Latency: every flagged engagement came within 60 s; none of the benchmark's did.
    c1 = next(c for c in doc["clusters"] if c["number"] == 1)
    assert c1["latency"]["within_window"] == c1["latency"]["n"] == sum(1 for e in counted_engagements() if e[0] in FLAGGED)
    assert doc["benchmark_latency"]["within_window"] == 0


def test_html_is_self_contained_and_escapes_hostile_text(reports):
    page = reports["html"].read_text()
    assert HOSTILE_TEXT not in page and HOSTILE_NAME not in page
    assert "<img src=x" not in page and "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    # Nothing is fetched from the network: every image is inline, no external scripts or styles.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert len(re.findall(r'src="data:image/png;base64,', page)) >= 5  # weekly, creation, graph, latency, activity
    for text in (RUN_ID, "a" * 64, "/data/ambassador_page1.jsonl", f"coordgraph {__version__}", "&#34;window_s&#34;: 60"):
        assert text in page
    assert "52.4 %" in page  # cluster 1 wrote 11 of the 21 retweets of @AmbassadorX


def test_markdown_names_the_run_and_neutralises_markup(reports):
    text = reports["md"].read_text()
    assert HOSTILE_TEXT not in text and "<img" not in text
    assert "&gt;&lt;img src=x onerror=alert(1)&gt;" in text
    assert f"`{RUN_ID}`" in text and "b" * 64 in text
    assert "| @AmbassadorX | all flagged | 4 | 52.4 % (11/21)" in text


def test_csv_has_one_row_per_flagged_account_with_strongest_evidence(reports):
    with reports["csv"].open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["account_id"] for r in rows] == FLAGGED
    strongest = {}
    for a, b, signal, weight, _count, _posts in EDGES:
        for me, other in ((a, b), (b, a)):
            if me not in strongest or weight > strongest[me][1]:
                strongest[me] = (other, weight, signal)
    for r in rows:
        other, weight, signal = strongest[r["account_id"]]
        assert (r["strongest_partner_id"], float(r["strongest_weight"]), r["strongest_signal"]) == (other, weight, signal)
        assert r["cluster"] == "1" and r["run_id"] == RUN_ID
    assert next(r for r in rows if r["account_id"] == "m2")["name"] == HOSTILE_NAME


def test_takedown_lists_id_handle_cluster_and_summary(reports):
    with reports["takedown"].open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "handle", "cluster", "evidence_summary"]
    assert [(r["id"], r["handle"], r["cluster"]) for r in rows] == [(m, f"user_{m}", f"{RUN_ID}/1") for m in FLAGGED]
    assert "co_retweet" in rows[0]["evidence_summary"] and "p=0.0001" in rows[0]["evidence_summary"]


@pytest.mark.parametrize("fmt,reader", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_network_exports_read_back(reports, fmt, reader):
    graph = reader(reports[fmt])
    assert set(graph.nodes) == set(FLAGGED) | {"m5", "m6"}  # members of the run's clusters; b1 is the old run's
    pairs = {frozenset((a, b)) for a, b, *_ in EDGES}
    assert {frozenset(e) for e in graph.edges()} == pairs
    m1m2 = graph.get_edge_data("m1", "m2") or graph.get_edge_data("m2", "m1")
    assert float(m1m2["weight"]) == pytest.approx(0.95 + 0.40)
    assert m1m2["signals"] == "co_retweet,rapid_follow_on"
    node = graph.nodes["m1"]
    assert node["label"] == "user_m1" and int(node["cluster"]) == 1 and node["status"] == "suspended"


def test_older_run_report_does_not_mix_runs(case, tmp_path):
    path = write_report(case, OLD_RUN_ID, "json", tmp_path / "old.json")
    doc = json.loads(path.read_text())
    assert doc["run"]["id"] == OLD_RUN_ID
    assert [sorted(a["id"] for a in c["accounts"]) for c in doc["clusters"]] == [["b1", "m5", "m6"]]
    assert [(e["source"], e["target"]) for e in doc["clusters"][0]["edges"]] == [("b1", "m5")]


def test_csv_cells_cannot_become_spreadsheet_formulas(case, tmp_path):
    with case.session() as s:
        s.run("MATCH (a:Account {id: 'm3'}) SET a.name = $name", name='=HYPERLINK("http://x","y")').consume()
    try:
        path = write_report(case, None, "csv", tmp_path / "r.csv")
        row = next(r for r in csv.DictReader(path.open(newline="")) if r["account_id"] == "m3")
        assert row["name"] == '\'=HYPERLINK("http://x","y")'
    finally:
        with case.session() as s:
            s.run("MATCH (a:Account {id: 'm3'}) SET a.name = 'Name m3'").consume()


def test_unknown_format_and_run_are_clear_errors(case, tmp_path):
    with pytest.raises(CoordgraphError, match="Unknown report format"):
        write_report(case, None, "pdf", tmp_path / "x.pdf")
    with pytest.raises(CoordgraphError, match="No run"):
        write_report(case, "nope", "json", tmp_path / "x.json")


def test_cli_report_and_impact(case, neo4j_conn, monkeypatch, tmp_path):
    monkeypatch.setenv("NEO4J_URI", neo4j_conn.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_conn.password)
    runner = CliRunner()
    out = tmp_path / "r.graphml"
    result = runner.invoke(app, ["report", "--run", RUN_ID, "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_nodes() == 6
    result = runner.invoke(app, ["impact", "--target", "AmbassadorX", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {(r["group"], r["retweets"], r["retweets_total"]) for r in rows} == {("cluster 1", 11, 21), ("all flagged", 11, 21)}
    table = runner.invoke(app, ["impact", "--weekly", "--status"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "2020-06-08 ★" in table.output and "suspended" in table.output
    ids = tmp_path / "ids.txt"
    ids.write_text("# ground truth\nm1\nb4  # a benchmark account\n")
    by_file = runner.invoke(app, ["impact", "--accounts-file", str(ids), "--target", "t2", "--format", "json"])
    assert by_file.exit_code == 0, by_file.output
    row = json.loads(by_file.output.splitlines()[0])
    assert (row["group"], row["members"], row["retweets"], row["retweets_total"]) == ("accounts", 2, 2, 2)
    bad = runner.invoke(app, ["report", "--run", "nope", "--format", "json", "-o", str(tmp_path / "x.json")])
    assert bad.exit_code == 1 and "No run with id 'nope'" in bad.output
