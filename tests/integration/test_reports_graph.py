"""The report case (``helpers.build_case``) is built as described: the shared graph model, every engagement."""

from __future__ import annotations

from helpers import ENGAGEMENTS, build_case


def test_case_graph_is_built_as_described(clean_db):
    build_case(clean_db)
    with clean_db.session() as s:
        row = s.run("""
            MATCH (:Account)-[r:RETWEETED]->() WITH count(r) AS rts
            MATCH (t:Tweet) WHERE t.kind IN ['reply', 'quote']
            RETURN rts, count(t) AS others
            """).single()
    expected_rts = sum(1 for e in ENGAGEMENTS if e[1] == "retweet")
    assert row["rts"] == expected_rts
    assert row["others"] == len(ENGAGEMENTS) - expected_rts
