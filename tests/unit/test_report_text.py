"""Report pieces that need no database: evidence in words, handles, post links, escaped page data, the
policy's script hashes, figure text fallback and impact shares with their uncertainty."""

from __future__ import annotations

import base64
import hashlib
import json

from coordgraph.report import interactive
from coordgraph.report.evidence_text import evidence_sentence, handle, p_text, post_url
from coordgraph.report.plots import figure_text
from coordgraph.report.shares import has_uncertainty, share_cell

USERNAMES = {"a": "alpha", "b": "bravo", "c": None, "d": "delta", "e": "echo", "x": "xray"}
CREATED = {"a": "2020-06-14T10:00:00+00:00", "b": "2020-06-14T10:02:30+00:00", "c": "2020-06-14T10:01:00+00:00",
           "x": "2020-06-14T10:00:40+00:00"}


def link(partners, count, items, pair_counts=None, capped=False):
    return {"partners": partners, "count": count, "items": items, "pair_counts": pair_counts or [count], "capped": capped}


def test_handles_are_never_made_up():
    assert handle("alpha", "1") == "@alpha"
    assert handle(None, "fb_21069") == "account fb_21069"
    assert handle("  ", "7") == "account 7"
    assert handle("@already", "7") == "@already"


def test_post_links_only_for_twitter_ids():
    assert post_url("1272000000000000001", "twitter") == "https://x.com/i/status/1272000000000000001"
    assert post_url("204246", "facebook") is None
    assert post_url("p1", "twitter") is None
    assert post_url("1' onmouseover='x", "twitter") is None


def test_member_sentence_says_what_when_with_whom_in_words():
    account = {"id": "x", "created_at": CREATED["x"],
               "evidence": {"benchmark": {"p_value": 0.0005, "co_actions_with_members": 9, "expected_under_null": 1.2}}}
    links = {
        "co_retweet": link(["a", "b", "c", "d", "e"], 11, ["1", "2", "3", "4"], [4, 3, 2, 1, 1]),
        "creation_burst": link(["a", "b", "c"], 3, []),
    }
    text = evidence_sentence(account, links, USERNAMES, CREATED, 60)
    assert text.startswith("retweeted 4 posts within 60 s of 5 members (@alpha, @bravo, account c and 2 more) (p = 0.0005)")
    # the burst partners were created 40 s, 1 min 50 s and 20 s from the account: within 2 min, on the day
    assert "created within 2 min of 3 members (@alpha, @bravo, account c) on 2020-06-14" in text
    assert "@c" not in text and "[co_retweet]" in text


def test_capped_items_are_a_lower_bound():
    account = {"id": "x", "evidence": {}}
    text = evidence_sentence(account, {"co_retweet": link(["a"], 30, ["1", "2"], [30], capped=True)}, USERNAMES, {}, 60)
    assert text.startswith("retweeted at least 30 posts within 60 s of 1 member (@alpha)")


def test_attached_member_sentence_has_timing_p_and_identity_links():
    account = {"id": "x", "created_at": CREATED["x"], "evidence": {
        "membership": {"traces": {"timing": {"co_actions_with_members": 7, "expected": 0.9, "p_value": 0.0005},
                                  "creation_burst": {"members": ["a", "b"], "p_value": 0.004},
                                  "profile": {"members": ["c"], "p_value": 0.02}},
                       "timing_p": 0.0005, "q_value": 0.002},
        "attachment": [{"signal": "co_retweet", "partner": "d", "count": 2, "posts": ["1"]}]}}
    text = evidence_sentence(account, {}, USERNAMES, CREATED, 60)
    assert text.startswith("attached by the membership test (q = 0.002); acted within 60 s of members 7 times vs 0.9 expected,"
                           " beside 1 member (@delta) (timing p = 0.0005)")
    assert "created within 2 min of 2 members (@alpha, @bravo) on 2020-06-14 (p = 0.004)" in text
    assert "has a profile like those of account c (p = 0.02)" in text
    assert "account_id=" not in text


def test_sentence_without_links_falls_back_to_the_benchmark():
    account = {"id": "x", "evidence": {"benchmark": {"p_value": 2e-7, "co_actions_with_members": 5, "expected_under_null": 0.5}}}
    assert evidence_sentence(account, {}, USERNAMES, {}, 60) == "5 co-actions with members vs 0.5 expected (p = 2.0e-07)"
    assert p_text(0.00049) == "0.00049"


def test_page_data_cannot_end_its_script_block():
    hostile = "</script><script>alert(1)</script>&amp;"
    text = str(interactive.script_json({"name": hostile}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": hostile}


def test_policy_allows_exactly_the_two_embedded_scripts():
    policy = interactive.content_security_policy()
    for script in interactive.scripts():
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "unsafe-inline' " not in policy.split("script-src")[1]
    assert "</script" not in interactive.scripts()[0].lower()


def test_attached_member_gets_dashed_links_to_the_members_it_co_acted_with():
    cluster = {"number": 1, "edges": [{"source": "a", "target": "b", "signal": "co_retweet", "weight": 1.0, "count": 3,
                                       "posts": ["11"]}],
               "accounts": [
                   {"id": "a", "username": "alpha", "score": 3.0, "platform": "twitter"},
                   {"id": "b", "username": None, "score": 2.0, "platform": "twitter"},
                   {"id": "x", "username": "xray", "score": 1.0, "attached": True, "platform": "twitter",
                    "evidence": {"attachment": [{"signal": "co_retweet", "partner": "a", "count": 2, "posts": ["12"]},
                                                {"signal": "co_retweet", "partner": "gone", "count": 1, "posts": []}],
                                 "membership": {"traces": {"creation_burst": {"members": ["b"]}}}}}]}
    graph = interactive.cluster_graph(cluster)
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    assert labels == {"a": "@alpha", "b": "account b", "x": "@xray"}
    dashed = {(e["source"], e["target"], e["signal"]) for e in graph["edges"] if e["dashed"]}
    assert dashed == {("x", "a", "co_retweet"), ("x", "b", "creation_burst (membership test)")}
    solid = [e for e in graph["edges"] if not e["dashed"]]
    assert solid[0]["posts"] == [{"id": "11", "url": "https://x.com/i/status/11"}]
    positions = {(round(n["position"]["x"]), round(n["position"]["y"])) for n in graph["nodes"]}
    assert len(positions) == 3  # members stand apart


def test_figure_text_spells_flags_and_drops_missing_glyphs():
    assert figure_text("\U0001F1EC\U0001F1E7 Brit") == "[GB] Brit"
    assert figure_text("news \U0001F4F0") == "news"
    assert figure_text("@\U0001FAE0", fallback="account 7") == "account 7"
    assert figure_text("Ünïcödé $x$") == "Ünïcödé $x$"


def test_shares_show_interval_and_confident_share_when_present():
    row = {"engagements": 9, "engagements_total": 20, "engagements_share": 0.45}
    assert share_cell(row, "engagements") == "45.0 % (9/20)"
    assert not has_uncertainty([row])
    row.update(engagements_share_low=0.3, engagements_share_high=0.61, engagements_share_confident=0.4)
    assert share_cell(row, "engagements") == "45.0 % (9/20), 95 % 30.0–61.0 %, confident 40.0 %"
    assert has_uncertainty([row])
    row["engagements_share_low"] = float("nan")
    assert share_cell(row, "engagements") == "45.0 % (9/20), confident 40.0 %"


def test_shares_show_the_upper_bound_with_held_back_accounts_only_when_some_were_held_back():
    row = {"engagements": 9, "engagements_total": 20, "engagements_share": 0.45, "engagements_share_low": 0.3,
           "engagements_share_high": 0.61, "unconfirmed": 0, "engagements_share_with_unconfirmed_high": 0.61}
    assert share_cell(row, "engagements") == "45.0 % (9/20), 95 % 30.0–61.0 %"
    row.update(unconfirmed=3, engagements_share_with_unconfirmed=0.55, engagements_share_with_unconfirmed_high=0.72)
    assert share_cell(row, "engagements") == "45.0 % (9/20), 95 % 30.0–61.0 %, up to 72.0 % with 3 unconfirmed"
    row["unconfirmed"] = None  # an account set: nothing held back
    assert share_cell(row, "engagements", counts=False) == "45.0 %, 95 % 30.0–61.0 %"
