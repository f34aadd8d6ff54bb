"""Missing is not empty: a field the data does not carry never becomes a trace shared by every account."""

from __future__ import annotations

from coordgraph import cypher
from coordgraph.analytics.signals import coaction, lifecycle
from coordgraph.analytics.signals.profile import profile
from coordgraph.ingest import ingest_paths
from coordgraph.ingest.values import text_hash

ACCOUNTS = """
UNWIND $rows AS row
CREATE (a:Account {id: row.id, username: row.username})
SET a.description = row.bio
CREATE (a)-[:POSTED]->(:Tweet {id: 't' + row.id, created_ms: 1600000000000 + row.i * 1000, kind: 'original',
                               author_id: row.id, text: row.text, text_hash: row.hash})
"""


def test_the_empty_text_hash_excluded_in_cypher_is_the_ingest_one():
    for name in ("signals/co_tweet", "library/shared_text"):
        assert f"'{text_hash('')}'" in cypher.load(name)
    assert text_hash("  https://t.co/x ") == text_hash("")


def test_unknown_bio_is_no_trace_an_empty_one_is(clean_db):
    rows = []
    for i in range(40):
        # 10 known empty bios, 10 copied bios, 20 accounts whose data carries no bio at all
        bio = "" if i < 10 else "Proud supporter of friendship between our peoples" if i < 20 else None
        text = "" if i % 2 else "https://t.co/abc"  # both normalise to nothing
        rows.append({"id": f"a{i}", "username": f"user{i}", "bio": bio, "i": i, "text": text, "hash": text_hash(text)})
    clean_db.execute_query(ACCOUNTS, rows=rows)
    result = profile(clean_db)
    scores = result.accounts.set_index("account_id")
    with_trait = {a for a, d in scores["detail"].items() if "empty_bio" in d["traits"]}
    assert with_trait == {f"a{i}" for i in range(10)}
    # the rate of an empty bio is taken among the 20 accounts whose bio is known
    assert scores.loc["a0", "detail"]["traits"]["empty_bio"] == 0.5
    assert not any(f"a{i}" in set(result.pairs["a"]) | set(result.pairs["b"]) for i in range(20, 40))
    # texts that normalise to nothing are no copied content
    assert coaction.coaction_events(clean_db, "co_tweet").empty


def test_data_without_profiles_gives_no_profile_or_creation_traces(clean_db, shared_data, tmp_path):
    """A slice of CooRTweet's german_elections table (no profiles, no texts, no creation dates)."""
    source = shared_data / "coortweet" / "german_elections.csv"
    part = tmp_path / "german_elections_part.csv"
    with source.open(encoding="utf-8") as f, part.open("w", encoding="utf-8") as out:
        for n, line in enumerate(f):
            if n > 15_000:
                break
            out.write(line)
    ingest_paths(clean_db, [str(part)], progress=False, rejects_dir=tmp_path)
    accounts = clean_db.execute_query("MATCH (a:Account) RETURN count(a) AS n").records[0]["n"]
    assert accounts > 1000
    result = profile(clean_db)
    assert result.pairs is None or result.pairs.empty
    assert result.accounts is None or result.accounts.empty
    bursts = lifecycle.creation_bursts(clean_db)
    assert bursts.pairs is None or bursts.pairs.empty
    assert coaction.coaction_events(clean_db, "co_tweet").empty
