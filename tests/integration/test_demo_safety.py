"""``coordgraph demo`` never deletes an investigator's data: demo data is recognised by the mark the demo writes
on its sources, never by where files lie, and a database holding anything else makes the demo refuse."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from coordgraph.cli.app import app
from coordgraph.demo import prepare_database, seal_demo_data
from coordgraph.errors import DemoError
from coordgraph.ingest import ingest_paths


def _user_file(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "action", "post_id", "time", "text", "target_post_id"])
        w.writerow(["inv-1", "post", "inv-p1", "2021-03-01T10:00:00Z", "a post under investigation", ""])
        w.writerow(["inv-2", "retweet", "inv-r1", "2021-03-01T10:00:30Z", "", "inv-p1"])
    return path


def _contents(driver):
    with driver.session() as s:
        return s.run(
            "OPTIONAL MATCH (s:Source) WITH collect(s.path) AS sources "
            "OPTIONAL MATCH (a:Account) WITH sources, collect(a.id) AS accounts "
            "OPTIONAL MATCH (t:Tweet) RETURN sources, accounts, collect(t.id) AS posts"
        ).single().data()


@pytest.mark.parametrize("out_name", ["demo-try", "inv42/demo"])
def test_demo_refuses_a_database_holding_user_data(clean_db, neo4j_conn, tmp_path, out_name):
    # the repro: a user's file beside (or around) the demo folder, so a path-prefix rule calls it demo data
    case = tmp_path / "case"
    user_file = _user_file(case / "inv42" / "my_investigation.csv")
    login = ["--uri", neo4j_conn.uri, "--user", neo4j_conn.user, "--password", neo4j_conn.password]
    loaded = CliRunner().invoke(app, ["ingest", str(user_file), *login])
    assert loaded.exit_code == 0, loaded.output
    before = _contents(clean_db)
    assert sorted(before["accounts"]) == ["inv-1", "inv-2"] and "inv-p1" in before["posts"]

    result = CliRunner().invoke(app, ["demo", "--scale", "0.05", "--days", "28", "--out", str(case / out_name), *login],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "--fresh" in result.output and "NEO4J_DATABASE" in result.output and "--uri" in result.output
    assert str(user_file) in result.output  # it names what is in the way
    after = _contents(clean_db)
    assert sorted(after["accounts"]) == sorted(before["accounts"]) and sorted(after["posts"]) == sorted(before["posts"])
    assert after["sources"] == before["sources"] == [str(user_file)]


def test_prepare_database_clears_only_data_marked_by_a_demo(clean_db, tmp_path):
    demo_file = _user_file(tmp_path / "anywhere" / "scenario.csv")
    ingest_paths(clean_db, [demo_file], progress=False, rejects_dir=tmp_path, demo="sha256:abc")
    seal_demo_data(clean_db, "sha256:abc")
    done = prepare_database(clean_db, fresh=False)
    assert done.startswith("cleared earlier demo data")
    with clean_db.session() as s:
        assert s.run("MATCH (n) RETURN count(n)").single()[0] == 0
    assert prepare_database(clean_db, fresh=False) == "empty"


def test_prepare_database_refuses_anything_not_from_a_demo_source(clean_db, tmp_path):
    demo_file = _user_file(tmp_path / "demo" / "scenario.csv")
    ingest_paths(clean_db, [demo_file], progress=False, rejects_dir=tmp_path, demo="sha256:abc")
    seal_demo_data(clean_db, "sha256:abc")
    # a node written by hand (not from any demo source) among demo data
    with clean_db.session() as s:
        s.run("CREATE (:Account {id: 'hand-made'})").consume()
    with pytest.raises(DemoError, match="not from a demo"):
        prepare_database(clean_db, fresh=False)
    # a demo whose load never finished (unsealed) is not known to hold only demo data either
    with clean_db.session() as s:
        s.run("MATCH (a:Account {id: 'hand-made'}) DELETE a").consume()
        s.run("MATCH (s:Source) REMOVE s.demo_nodes").consume()
    with pytest.raises(DemoError):
        prepare_database(clean_db, fresh=False)
    # a user source, even inside the demo folder
    with clean_db.session() as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
    ingest_paths(clean_db, [_user_file(tmp_path / "demo" / "mine.csv")], progress=False, rejects_dir=tmp_path)
    with pytest.raises(DemoError, match="mine.csv"):
        prepare_database(clean_db, fresh=False)
    with clean_db.session() as s:
        assert s.run("MATCH (a:Account) RETURN count(a)").single()[0] == 2
    assert prepare_database(clean_db, fresh=True).startswith("cleared (--fresh)")
    with clean_db.session() as s:
        assert s.run("MATCH (n) RETURN count(n)").single()[0] == 0
