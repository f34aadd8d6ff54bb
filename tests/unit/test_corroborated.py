"""The corroborated route's pure logic: identity links, the group identity test, joining pieces, the gates."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from coordgraph.analytics import corroborated as co
from coordgraph.analytics.signals import SignalResult


def pairs(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"a": [a for a, _ in rows], "b": [b for _, b in rows], "weight": 1.0})


def test_identity_links_union_of_traces_ordered_and_deduplicated():
    results = {
        "creation_burst": SignalResult("creation_burst", pairs=pairs([("b", "a"), ("a", "c")])),
        # the trace pairs (before the repetition cut) are used when kept
        "near_duplicate": SignalResult("near_duplicate", pairs=pairs([]), trace_pairs=pairs([("a", "b"), ("d", "e")])),
        "language": SignalResult("language", pairs=pairs([("x", "y")])),  # not an identity trace
    }
    links = co.identity_links(results)
    assert list(map(tuple, links[["a", "b"]].to_numpy())) == [("a", "b"), ("a", "c"), ("d", "e")]


def test_linked_members_and_peers_look_inside_the_group_only():
    links = pd.DataFrame({"a": ["a", "a", "c"], "b": ["b", "z", "d"]})
    group = ["a", "b", "c", "e"]
    assert co.linked_members(links, group).tolist() == [True, True, False, False]  # c's peer d is outside
    assert co.identity_peers(links, group) == [["b"], ["a"], [], []]


def test_link_graph_counts_linked_members_of_any_rows():
    links = pd.DataFrame({"a": ["a", "c"], "b": ["b", "d"]})
    graph = co.LinkGraph(links, ["a", "b", "c", "d", "e"])
    idx = lambda names: np.array([graph.index[n] for n in names])  # noqa: E731
    assert graph.linked_count(idx(["a", "b", "c"])) == 2
    assert graph.linked_count(idx(["a", "c", "e"])) == 0
    assert graph.linked_count(idx(["a", "b", "c", "d"])) == 4


def test_identity_test_separates_a_linked_group_from_random_groups_of_the_pool():
    rng = np.random.default_rng(0)
    pool = [f"o{i:03d}" for i in range(300)]
    group = [f"n{i}" for i in range(10)]
    # the group: created in one burst (every pair linked); the pool: a few chance pairs
    rows = [(a, b) for i, a in enumerate(group) for b in group[i + 1:]]
    rows += [(pool[i], pool[i + 1]) for i in range(0, 40, 2)]
    links = pd.DataFrame({"a": [a for a, _ in rows], "b": [b for _, b in rows]})
    graph = co.LinkGraph(links, pool + group)
    out = co.identity_test(graph, group, pool + group, 500, rng)
    assert out["linked"] == 10 and out["share"] == 1.0
    assert out["null_mean"] < 2
    assert out["p_value"] == 1 / 501
    # a group with two linked pairs among ten is unusual for this pool, but a minority: the share gate's case
    few = pool[:4] + pool[100:106]
    out = co.identity_test(graph, few, pool + group, 500, rng)
    assert out["linked"] == 4 and out["share"] < co.MIN_LINKED_SHARE
    # in a pool made of ten sign-up days of 30 accounts each (all linked within a day), four linked are ordinary
    days = [(pool[d * 30 + i], pool[d * 30 + j]) for d in range(10) for i in range(30) for j in range(i + 1, 30)]
    dense = pd.DataFrame({"a": [a for a, _ in days], "b": [b for _, b in days]})
    out = co.identity_test(co.LinkGraph(dense, pool), [pool[0], pool[1], pool[30], pool[31]] + pool[60:300:40], pool, 500, rng)
    assert out["linked"] == 4 and out["null_mean"] > 4 and out["p_value"] > 0.05
    # nothing linked: p = 1 without draws
    assert co.identity_test(graph, pool[200:210], pool, 500, rng)["p_value"] == 1.0


def test_pieces_join_only_through_a_pair_that_both_co_acts_and_shares_a_trace():
    pieces = [["a1", "a2", "a3"], ["b1", "b2", "b3"], ["c1", "c2", "c3"]]
    links = pd.DataFrame({"a": ["a1", "b3"], "b": ["b2", "c1"]})
    # a1-b2 co-acted and share a trace: joined. b3-c1 share a trace, but it is b2-c2 that co-acted: not joined
    coacting = pd.DataFrame({"a": ["a1", "b2"], "b": ["b2", "c2"]})
    joined = co.join_candidates(pieces, links, coacting)
    assert joined == [["a1", "a2", "a3", "b1", "b2", "b3"], ["c1", "c2", "c3"]]
    assert co.join_candidates(pieces, links, coacting.iloc[:0]) == sorted(pieces)


def test_candidates_are_significant_groups_above_the_lower_floor():
    test = lambda low: SimpleNamespace(effect_low=low)  # noqa: E731
    tested = [(["b", "a"], test(1.9), 0.01, False), (["c"], test(1.4), 0.01, False), (["d"], test(1.9), 0.2, False),
              (["e"], test(3.0), 0.001, True)]
    assert co.candidates(tested, 0.05) == [["a", "b"], ["e"]]


def test_the_first_failed_gate_is_named():
    test = SimpleNamespace(p_value=0.001, effect_low=1.8)
    identity = {"linked": 8, "share": 0.8, "p_value": 0.001, "timing_supported": 9, "supported_linked": 8, "supported_share": 8 / 9}
    assert co.group_reason(test, identity, 0.01, 5) == ""
    assert "timing" in co.group_reason(SimpleNamespace(p_value=0.02, effect_low=1.8), identity, 0.01, 5)
    assert "excess too small" in co.group_reason(SimpleNamespace(p_value=0.001, effect_low=1.4), identity, 0.01, 5)
    assert "under 50%" in co.group_reason(test, {**identity, "supported_linked": 4, "supported_share": 4 / 9}, 0.01, 5)
    # the share is read on the members the timing supports: organic engagers swept into the group do not dilute it
    assert co.group_reason(test, {**identity, "share": 0.4}, 0.01, 5) == ""
    assert "among the members its timing supports not beyond" in co.group_reason(test, {**identity, "p_value": 0.02}, 0.01, 5)
    assert "fewer than 3" in co.group_reason(test, identity, 0.01, 2)


def test_the_linked_share_is_read_on_the_members_the_timing_supports():
    params = SimpleNamespace(alpha=0.05, min_repeat=2)
    acc = pd.DataFrame({
        # two linked members with timing; one with timing but no link; three swept in without a timing excess
        "q_value": [0.001, 0.01, 0.02, 0.5, 0.001, 0.001],
        "effect_low": [3.0, 1.6, 2.0, 0.4, 1.2, 2.5],
        "moments": [10, 4, 6, 3, 8, 1],
        "linked": [True, True, False, False, True, True],
    })
    assert co.timing_supported(acc, params).tolist() == [True, True, True, False, False, False]
    assert co.supported_share(acc, params) == {"timing_supported": 3, "supported_linked": 2, "supported_share": 2 / 3}
    none = acc.assign(q_value=0.5)
    assert co.supported_share(none, params) == {"timing_supported": 0, "supported_linked": 0, "supported_share": 0.0}


def test_the_identity_test_is_read_on_the_members_the_timing_supports():
    params = SimpleNamespace(alpha=0.05, min_repeat=2, n_null=500)
    pool = [f"o{i:03d}" for i in range(100)]
    network = [f"n{i}" for i in range(12)]
    # a small pool: 40 of its accounts signed up on one day (all linked to each other)
    rows = [(pool[i], pool[j]) for i in range(40) for j in range(i + 1, 40)]
    # the twelve members the timing supports are linked in a chain; the group also swept in 48 organic engagers,
    # 16 of them from the sign-up day, so that the group is half the pool
    rows += [(network[i], network[i + 1]) for i in range(11)]
    links = pd.DataFrame({"a": [a for a, _ in rows], "b": [b for _, b in rows]})
    group = network + pool[:16] + pool[60:92]
    graph = co.LinkGraph(links, pool + network)
    acc = pd.DataFrame({"account_id": group,
                        "q_value": [0.001] * 12 + [0.5] * 48, "effect_low": [3.0] * 12 + [0.5] * 48,
                        "moments": [8] * 12 + [2] * 48})
    acc["linked"] = co.linked_members(links, group)
    whole = co.identity_test(graph, group, pool + network, 500, np.random.default_rng(1))
    # over the whole group, random groups of half the pool are about as linked
    assert whole["linked"] == 28 and whole["p_value"] > 0.05
    out = co.group_identity(graph, acc, pool + network, params, np.random.default_rng(1))
    assert out["linked"] == 28 and out["share"] == 28 / 60
    assert out["timing_supported"] == 12 and out["supported_linked"] == 12 and out["supported_linked_within"] == 12
    assert out["p_value"] == 1 / 501 and out["null_mean"] < 8
    # a group whose timing supports nobody has nothing to test
    none = co.group_identity(graph, acc.assign(q_value=0.5), pool + network, params, np.random.default_rng(1))
    assert none["timing_supported"] == 0 and none["p_value"] == 1.0


def test_linked_count_equals_the_sparse_submatrix_count():
    rng = np.random.default_rng(8)
    accounts = [f"u{i}" for i in range(200)]
    a, b = rng.choice(accounts, 300), rng.choice(accounts, 300)
    links = pd.DataFrame({"a": a, "b": b})  # self-links and repeated links included
    graph = co.LinkGraph(links, accounts)
    for size in (1, 2, 10, 50, 200):
        rows = rng.choice(len(accounts), size, replace=False)
        sub = graph.matrix[rows][:, rows]
        assert graph.linked_count(rows) == int(np.count_nonzero(sub.getnnz(axis=1)))


def test_linked_counts_of_many_groups_equal_one_at_a_time():
    rng = np.random.default_rng(9)
    accounts = [f"u{i}" for i in range(120)]
    graph = co.LinkGraph(pd.DataFrame({"a": rng.choice(accounts, 150), "b": rng.choice(accounts, 150)}), accounts)
    groups = np.array([rng.choice(len(accounts), 15, replace=False) for _ in range(40)])
    assert graph.linked_counts(groups).tolist() == [graph.linked_count(g) for g in groups]
