"""Co-action signals on small hand-built graphs with known answers."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from coordgraph.analytics import statistics
from coordgraph.analytics.signals import coaction
from helpers import add_posts, add_retweets, add_target_posts

T0 = 1_600_000_000_000
S = 1000


def _pairs(result):
    return {(r["a"], r["b"]): r["count"] for r in result.pairs.to_dict("records")}


def test_co_retweet_window_is_inclusive_and_counts_objects_once(clean_db):
    add_retweets(
        clean_db,
        [
            # x,y on p1 exactly 60 s apart (inside), and twice on p1 (still one object)
            {"acc": "x", "obj": "p1", "at": T0, "eid": "r1"},
            {"acc": "y", "obj": "p1", "at": T0 + 60 * S, "eid": "r2"},
            {"acc": "y", "obj": "p1", "at": T0 + 10 * S, "eid": "r3"},
            # x,y on p2 within the window
            {"acc": "x", "obj": "p2", "at": T0 + 3600 * S, "eid": "r4"},
            {"acc": "y", "obj": "p2", "at": T0 + 3605 * S, "eid": "r5"},
            # z is 61 s after x on p1 (outside) but 1 s after y there; on p2 it is > 60 s from both
            {"acc": "z", "obj": "p1", "at": T0 + 61 * S, "eid": "r6"},
            {"acc": "z", "obj": "p2", "at": T0 + 3666 * S + 1, "eid": "r7"},
            # x retweeting the same post twice never pairs x with itself
            {"acc": "x", "obj": "p3", "at": T0, "eid": "r8"},
            {"acc": "x", "obj": "p3", "at": T0 + S, "eid": "r9"},
        ],
    )
    got = _pairs(coaction.coaction_pairs(clean_db, "co_retweet", window_s=60, min_repeat=1))
    assert got == {("x", "y"): 2, ("y", "z"): 1}
    assert _pairs(coaction.coaction_pairs(clean_db, "co_retweet", window_s=60, min_repeat=2)) == {("x", "y"): 2}
    # with a 5 s window: x-y only on p2 (5 s apart), y-z on p1 (1 s apart)
    assert _pairs(coaction.coaction_pairs(clean_db, "co_retweet", window_s=5, min_repeat=1)) == {("x", "y"): 1, ("y", "z"): 1}
    row = coaction.coaction_pairs(clean_db, "co_retweet", window_s=60, min_repeat=2).pairs.iloc[0]
    assert row["first_at"] == T0 and row["last_at"] == T0 + 3600 * S
    assert sorted(row["posts"]) == ["p1", "p2"] and row["min_gap_ms"] == 5 * S


def test_bucketed_pairing_equals_brute_force(clean_db):
    rng = np.random.default_rng(3)
    accounts = [f"a{i:02d}" for i in range(25)]
    rows = []
    for k in range(600):
        # bursts put many actions in neighbouring buckets; times also hit bucket edges exactly
        base = T0 + int(rng.integers(0, 20)) * 60 * S
        rows.append({"acc": str(rng.choice(accounts)), "obj": f"p{rng.integers(0, 30)}",
                     "at": base + int(rng.choice([0, 60 * S, 59_999, 120 * S, int(rng.integers(0, 90 * S))])), "eid": f"e{k}"})
    add_retweets(clean_db, rows)
    expected: dict = {}
    frame = pd.DataFrame(rows)
    for obj, group in frame.groupby("obj"):
        hits = set()
        for x, y in itertools.combinations(group.to_dict("records"), 2):
            if x["acc"] != y["acc"] and abs(x["at"] - y["at"]) <= 60 * S:
                hits.add(tuple(sorted((x["acc"], y["acc"]))))
        for pair in hits:
            expected[pair] = expected.get(pair, 0) + 1
    got = _pairs(coaction.coaction_pairs(clean_db, "co_retweet", window_s=60, min_repeat=1))
    assert got == expected and len(got) > 50
    # the numpy pairing used by the null gives the same pairs on the observed data (first action per object)
    first = frame.sort_values("at").drop_duplicates(["obj", "acc"])
    ev = statistics.SignalEvents.from_frame("co_retweet", first, 60 * S)
    np_pairs = statistics.window_pairs(ev, ev.acc_code, 1)
    first_expected: dict = {}
    for obj, group in first.groupby("obj"):
        for x, y in itertools.combinations(group.to_dict("records"), 2):
            if abs(x["at"] - y["at"]) <= 60 * S:
                pair = tuple(sorted((x["acc"], y["acc"])))
                first_expected[pair] = first_expected.get(pair, 0) + 1
    assert {tuple(sorted((ev.accounts[a], ev.accounts[b]))): c for a, b, c in np_pairs.itertuples(index=False)} == first_expected


def test_post_based_signals(clean_db):
    def post(acc, eid, at, **kw):
        return {"acc": acc, "eid": eid, "at": at, "kind": kw.pop("kind", "original"), **kw}

    rows = []
    for i, (obj_t, gap) in enumerate([(T0, 20 * S), (T0 + 86_400 * S, 45 * S)]):
        for acc, offset in (("x", 0), ("y", gap), ("z", gap + 600 * S)):
            at = obj_t + offset
            rows += [
                post(acc, f"{acc}-reply-{i}", at, kind="reply", reply_to=f"orig{i}", text=f"reply {acc} {i}"),
                post(acc, f"{acc}-quote-{i}", at, kind="quote", quotes=f"orig{i}", text=f"quote {acc} {i}"),
                post(acc, f"{acc}-same-{i}", at, text_hash=f"hash{i}", tags=[f"tag{i}"],
                     urls=[f"https://news{i}.example/a/{i}"], mentions=[f"m{i}"]),
            ]
    add_posts(clean_db, rows)
    for signal in ("co_reply", "co_quote", "co_tweet", "co_hashtag", "co_url", "co_domain", "co_mention"):
        got = _pairs(coaction.coaction_pairs(clean_db, signal, window_s=60, min_repeat=2))
        assert got == {("x", "y"): 2}, signal
    # with a 30 s window only the first object's 20 s gap counts
    assert _pairs(coaction.coaction_pairs(clean_db, "co_hashtag", window_s=30, min_repeat=1)) == {("x", "y"): 1}


def test_rapid_follow_on_is_directed(clean_db):
    add_target_posts(clean_db, [{"acc": "amb", "eid": f"t{i}", "at": T0 + i * 3600 * S} for i in range(3)])
    add_retweets(
        clean_db,
        [
            {"acc": "lead", "obj": "t0", "at": T0 + 100 * S, "eid": "a0"},
            {"acc": "fol", "obj": "t0", "at": T0 + 130 * S, "eid": "b0"},
            {"acc": "lead", "obj": "t1", "at": T0 + 3700 * S, "eid": "a1"},
            {"acc": "fol", "obj": "t1", "at": T0 + 3760 * S, "eid": "b1"},
            {"acc": "lead", "obj": "t2", "at": T0 + 7300 * S, "eid": "a2"},
            {"acc": "fol", "obj": "t2", "at": T0 + 7300 * S, "eid": "b2"},
        ],
    )
    # a reply counts as engagement too; it is not a follow-on of anyone here
    add_posts(clean_db, [{"acc": "late", "eid": "r", "at": T0 + 900 * S, "kind": "reply", "reply_to": "t0", "text": "x"}])
    result = coaction.rapid_follow_on(clean_db, window_s=60, min_repeat=1)
    assert result.directed
    assert _pairs(result) == {("lead", "fol"): 3, ("fol", "lead"): 1}
    assert _pairs(coaction.rapid_follow_on(clean_db, window_s=60, min_repeat=2)) == {("lead", "fol"): 3}




def test_co_retweet_read_per_post_equals_the_events_file_grouped(clean_db):
    """Detection reads co-retweet events with a query of its own, grouped per post on the server
    (``coaction.GROUPED_EVENTS``); it gives the actions of ``signals/co_retweet.cypher`` + the per-object tail:
    content ids shared by several objects, posts without a post time and retweets without a time included."""
    add_retweets(clean_db, [
        {"acc": "x", "obj": "p1", "at": T0, "eid": "r1"},
        {"acc": "y", "obj": "p1", "at": T0 + 5 * S, "eid": "c9"},
        {"acc": "y", "obj": "p2", "at": T0 + 5 * S, "eid": "c9#p2"},  # one post sharing two objects
        {"acc": "z", "obj": "p2", "at": T0 + 7 * S, "eid": "r3"},
        {"acc": "z", "obj": "p3", "at": T0 + 9 * S, "eid": "r4"},
    ])
    add_target_posts(clean_db, [{"acc": "tg", "eid": "p1", "at": T0 - 60 * S}])
    clean_db.execute_query("MATCH (a:Account {id: 'x'}), (t:Tweet {id: 'p3'}) CREATE (a)-[:RETWEETED {id: 'untimed'}]->(t)")
    assert "co_retweet" in coaction.GROUPED_EVENTS
    got = coaction.coaction_events(clean_db, "co_retweet")
    want = coaction._read_events(clean_db, coaction.events_query("co_retweet"), None, by_object=True)
    order = ["obj", "acc", "at", "eid"]
    pd.testing.assert_frame_equal(got.sort_values(order).reset_index(drop=True), want.sort_values(order).reset_index(drop=True))
    assert len(got) == 5 and set(got.loc[got["acc"] == "y", "eid"]) == {"c9"}
    assert got.loc[got["obj"] == "p1", "anchor"].tolist() == [T0 - 60 * S] * 2 and got.loc[got["obj"] == "p2", "anchor"].isna().all()


def test_co_tweet_read_per_account_equals_the_events_file_grouped(clean_db):
    """Co-tweet events are read with a query of their own, grouped per account on the server; it gives the actions
    of ``signals/co_tweet.cypher`` + the per-account tail: posts without text, with the empty text's hash, without
    a time or marked as stubs stay out."""
    add_posts(clean_db, [
        {"acc": "x", "eid": "p1", "at": T0, "kind": "original", "text": "same words", "text_hash": "h1"},
        {"acc": "y", "eid": "p2", "at": T0 + 5 * S, "kind": "original", "text": "same words", "text_hash": "h1"},
        {"acc": "y", "eid": "p3", "at": T0 + 6 * S, "kind": "original", "text": "https://t.co/x", "text_hash": "e4a6a0577479b2b4"},
        {"acc": "z", "eid": "p4", "at": T0 + 7 * S, "kind": "reply", "text": "other words", "text_hash": "h2"},
        {"acc": "z", "eid": "p5", "at": T0 + 8 * S, "kind": "original"},
    ])
    clean_db.execute_query("MATCH (a:Account {id: 'x'}) CREATE (a)-[:POSTED]->(:Tweet {id: 'p6', text_hash: 'h1', stub: true, "
                           "created_ms: $at}), (a)-[:POSTED]->(:Tweet {id: 'p7', text_hash: 'h2'})", at=T0)
    assert "co_tweet" in coaction.GROUPED_EVENTS
    got = coaction.coaction_events(clean_db, "co_tweet")
    want = coaction._read_events(clean_db, coaction.events_query("co_tweet"), None)
    order = ["obj", "acc", "at", "eid"]
    pd.testing.assert_frame_equal(got.sort_values(order).reset_index(drop=True), want.sort_values(order).reset_index(drop=True))
    assert sorted(got["eid"]) == ["p1", "p2", "p4"] and got["anchor"].isna().all()
