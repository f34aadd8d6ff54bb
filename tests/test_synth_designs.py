"""The design sampler and the generator options of the robustness suite, checked on the files written (no server)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from coordgraph.synth import build_params, generate, vocab
from coordgraph.synth.designs import DESIGN_RANGES, FIXED, design_for, describe, sample_design

TINY = dict(scale=0.06, days=45, network_size=24, superfans=0, fan_community=0, slogan_users=0, burst_day_organics=0,
            viral_moments=0)


def ms_of(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)


def read_tweets(scenario) -> dict[str, dict]:
    """Every tweet in the twarc2 pages (data and includes), by id."""
    tweets: dict[str, dict] = {}
    for path in scenario.twarc_paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            page = json.loads(line)
            for t in page["data"] + page["includes"].get("tweets", []):
                tweets[t["id"]] = t
    return tweets


def reactions(tweets: dict[str, dict], kind: str = "retweeted"):
    """(author, post id, delay ms, post time ms, time ms) of every reaction of ``kind``."""
    for t in tweets.values():
        for ref in t.get("referenced_tweets", []):
            if ref["type"] == kind and ref["id"] in tweets:
                post = tweets[ref["id"]]
                yield t["author_id"], ref["id"], ms_of(t["created_at"]) - ms_of(post["created_at"]), ms_of(post["created_at"]), ms_of(t["created_at"])


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sampler_covers_its_ranges():
    rng = np.random.default_rng(1)
    designs = [sample_design(rng) for _ in range(600)]
    for name, spec in DESIGN_RANGES.items():
        values = [d[name] for d in designs]
        if spec[0] == "choice":
            assert set(values) == set(spec[1]), name
            continue
        low, high = spec[1], spec[2]
        if name == "follower_delay_max_s":
            assert all(d[name] >= 2 * d["follower_delay_median_s"] for d in designs)
            assert min(values) >= low and max(values) <= max(high, 2 * DESIGN_RANGES["follower_delay_median_s"][2])
            continue
        assert low <= min(values) and max(values) <= high, name
        span = high - low
        # the ends of every range are reached (within 5 % of its width; integer ranges exactly, or nearly for log)
        assert min(values) <= low + 0.05 * span and max(values) >= high - 0.05 * span, name
        if spec[0] in ("int",):
            assert min(values) == low and max(values) == high, name
    for d in designs:
        assert {k: d[k] for k in FIXED} == FIXED
        build_params(seed=1, **d)  # every design is a valid set of generator overrides
    # the ranges
    assert DESIGN_RANGES["network_size"][1:] == (15, 150) and DESIGN_RANGES["targets"][1:] == (2, 5)
    assert DESIGN_RANGES["days"][1:] == (90, 365) and DESIGN_RANGES["low_activity_fraction"][1:] == (0.0, 0.30)
    assert DESIGN_RANGES["follower_delay_max_s"][2] == 300.0


def test_designs_are_named_by_their_seed():
    assert design_for(3) == design_for(3)
    assert design_for(3) != design_for(4)
    assert "net " in describe(design_for(3))


def test_same_seed_and_design_give_byte_identical_files(tmp_path):
    design = {**design_for(5), "days": 40, "network_size": 20, "fast_fans": 6, "news_surges": 2, "fan_community": 10}
    kwargs = dict(scale=0.05, **design)
    generate(tmp_path / "a", seed=9, **kwargs)
    code = f"from coordgraph.synth import generate; generate({str(tmp_path / 'b')!r}, seed=9, **{kwargs!r})"
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONHASHSEED": "77"})
    generate(tmp_path / "c", seed=10, **kwargs)
    first = digests(tmp_path / "a")
    assert len(first) >= 5 and digests(tmp_path / "b") == first
    other = digests(tmp_path / "c")
    assert all(first[k] != other[k] for k in set(first) & set(other))


def test_defaults_draw_nothing_for_the_new_options(tmp_path):
    """Options left at their defaults leave the data files as they were (only the truth lists the new fields)."""
    a = generate(tmp_path / "a", seed=4, **TINY)
    b = generate(tmp_path / "b", seed=4, fast_fans=0, news_surges=0, fan_sync=0.0, targets=2, operator_tz=8,
                 low_activity_style="basic", **TINY)
    da, db_ = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert da == db_
    truth = a.ground_truth()
    assert truth["hard_negatives"]["fast_fan"] == [] and truth["hard_negatives"]["news_surge"] == []


@pytest.fixture(scope="module")
def fans_scenario(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("fans") / "s", seed=21, **{**TINY, "days": 60, "fast_fans": 16, "fast_fan_tz": 8,
                                                                       "superfans": 12})


def test_fast_fans_delays_move_together_post_by_post(fans_scenario):
    truth = fans_scenario.ground_truth()
    tweets = read_tweets(fans_scenario)
    targets = {t["id"] for t in truth["targets"]}

    def half_correlation(accounts: list[str]) -> float:
        """Correlation over posts of the mean log-delay of one half of ``accounts`` with the other half's."""
        half = {a: i % 2 for i, a in enumerate(sorted(accounts))}
        per_post = defaultdict(lambda: ([], []))
        for who, post, delay, _, _ in reactions(tweets):
            if who in half and tweets[post]["author_id"] in targets:
                per_post[post][half[who]].append(np.log(max(delay, 1000)))
        pairs = [(np.mean(a), np.mean(b)) for a, b in per_post.values() if len(a) >= 2 and len(b) >= 2]
        assert len(pairs) >= 30
        x, y = np.array(pairs).T
        return float(np.corrcoef(x, y)[0, 1])

    fans = truth["hard_negatives"]["fast_fan"]
    assert len(fans) == 16
    fan_r = half_correlation(fans)
    superfan_r = half_correlation(truth["hard_negatives"]["superfan"])
    assert fan_r > 0.6, fan_r
    assert fan_r > superfan_r + 0.2, (fan_r, superfan_r)

    # a post arriving in their night (UTC+8) is answered hours late, one in their evening within minutes
    night, evening = [], []
    fan_set = set(fans)
    for who, post, delay, post_ms, _ in reactions(tweets):
        if who in fan_set and tweets[post]["author_id"] in targets:
            hour = (post_ms // 3_600_000 + 8) % 24
            (night if 1 <= hour < 5 else evening if 17 <= hour < 22 else []).append(delay)
    assert len(night) > 20 and len(evening) > 20
    assert np.median(night) > 60 * 60_000 and np.median(evening) < 3 * 60_000


def test_news_surges_bring_many_unrelated_accounts_within_minutes(tmp_path):
    s = generate(tmp_path / "s", seed=8, **{**TINY, "scale": 0.25, "news_surges": 3, "news_surge_accounts": 100})
    truth = s.ground_truth()
    tweets = read_tweets(s)
    surge_accounts = set(truth["hard_negatives"]["news_surge"])
    members = {m["id"] for m in truth["network"]["members"]}
    # 100 accounts per event at scale 1, 25 (+-40 %) here
    assert len(truth["news_surges"]) == 3 and len(surge_accounts) >= 30 and not surge_accounts & members
    per_account = defaultdict(set)
    for event in truth["news_surges"]:
        posts = set(event["post_ids"])
        delays = [delay for who, post, delay, _, _ in reactions(tweets) if post in posts and who in surge_accounts]
        assert len(delays) >= 15 and np.mean(np.array(delays) < 10 * 60_000) > 0.9
        for who, post, _, _, _ in reactions(tweets):
            if post in posts and who in surge_accounts:
                per_account[who].add(post)
    # the same unrelated accounts engage several posts of one event
    assert sum(len(p) >= 2 for p in per_account.values()) >= 8


def test_fan_sync_makes_part_of_the_fan_community_react_together(tmp_path):
    def close_pairs(sync: float) -> float:
        s = generate(tmp_path / f"s{sync}", seed=12, **{**TINY, "fan_community": 40, "fan_sync": sync})
        truth = s.ground_truth()
        fans = set(truth["hard_negatives"]["fan_community"])
        tweets = read_tweets(s)
        times = defaultdict(list)
        for who, post, _, _, at in reactions(tweets):
            if who in fans:
                times[post].append(at)
        close = total = 0
        for ts in times.values():
            ts = np.sort(ts)
            for i in range(len(ts)):
                for j in range(i + 1, len(ts)):
                    total += 1
                    close += ts[j] - ts[i] <= 60_000
        return close / total

    independent, synchronous = close_pairs(0.0), close_pairs(0.6)
    assert synchronous > 2 * independent + 0.05, (independent, synchronous)


def test_low_activity_traces(tmp_path):
    s = generate(tmp_path / "s", seed=14, **{**TINY, "network_size": 40, "low_activity_fraction": 0.3, "burst_fraction": 0.5,
                                             "low_activity_style": "traces"})
    truth = s.ground_truth()
    tweets = read_tweets(s)
    low = [m for m in truth["network"]["members"] if m["low_activity"]]
    low_ids = {m["id"] for m in low}
    members = {m["id"] for m in truth["network"]["members"]}
    assert len(low) == 12 and len(truth["network"]["low_activity"]) == 12
    assert any(m["burst"] for m in low) and not all(m["burst"] for m in low)
    assert all(3 <= m["actions"] <= 8 for m in low), [m["actions"] for m in low]
    # their actions sit next to the other members' cascades: first member action on the post -> their delay
    first_member = {}
    for who, post, _, _, at in reactions(tweets):
        if who in members - low_ids:
            first_member[post] = min(first_member.get(post, at), at)
    fast = late = replies = 0
    for who, post, _, _, at in reactions(tweets):
        if who in low_ids and post in first_member:
            gap = at - first_member[post]
            fast += gap <= 60_000
            late += gap >= 3_600_000
    reply_texts = [t["text"] for t in tweets.values() if t["author_id"] in low_ids
                   and any(r["type"] == "replied_to" for r in t.get("referenced_tweets", []))]
    replies = len(reply_texts)
    total = sum(m["actions"] for m in low)
    assert fast >= 0.15 * total and late >= 0.1 * total and replies >= 0.25 * total, (fast, late, replies, total)
    phrases = [p.lower()[:25] for p in vocab.NETWORK_PHRASES]
    assert sum(any(p in text.lower() for p in phrases) for text in reply_texts) >= 0.5 * replies


def test_more_targets_each_with_posts_and_a_true_share(tmp_path):
    s = generate(tmp_path / "s", seed=6, **{**TINY, "targets": 4})
    truth = s.ground_truth()
    assert [t["role"] for t in truth["targets"]] == ["ambassador", "embassy", "consulate", "spokesperson"]
    assert len(s.target_handles) == 4
    for t in truth["targets"]:
        overall = truth["engagement"][t["username"]]["overall"]["retweets"]
        assert overall["total"] > 0 and 0 < overall["share"] < 1
    with pytest.raises(ValueError):
        build_params(targets=6)
