"""The scenario generator's contracts, checked on the files it writes (not on its internal state)."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from coordgraph.synth import generate, vocab
from coordgraph.synth.writers import IO_TWEET_COLUMNS, IO_USER_COLUMNS

TWITTER_EPOCH_MS = 1288834974657
SMALL = dict(scale=0.12, days=70)


def parse_time(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)


class Collection:
    """The twarc2 pages of a scenario, parsed the way an analyst would read them."""

    def __init__(self, paths: list[Path]):
        self.pages: list[dict] = []
        self.data: dict[str, dict] = {}
        self.tweets: dict[str, dict] = {}
        self.users: dict[str, dict] = {}
        for path in paths:
            for line in path.read_text(encoding="utf-8").splitlines():
                page = json.loads(line)
                self.pages.append(page)
                for t in page["data"]:
                    self.data[t["id"]] = t
                    self.tweets[t["id"]] = t
                for t in page["includes"].get("tweets", []):
                    self.tweets.setdefault(t["id"], t)
                for u in page["includes"]["users"]:
                    self.users[u["id"]] = u

    def ref(self, tweet: dict) -> tuple[str | None, dict | None]:
        refs = tweet.get("referenced_tweets") or []
        if not refs:
            return None, None
        return refs[0]["type"], self.tweets.get(refs[0]["id"])

    def engagements(self, target_ids: set[str]):
        """(kind, engager id, time ms, referenced tweet) for every retweet/reply/quote of a target's post."""
        for t in self.data.values():
            kind, ref = self.ref(t)
            if ref is not None and ref["author_id"] in target_ids:
                yield kind, t["author_id"], parse_time(t["created_at"]), ref


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("synth") / "s", seed=11, difficulty="hard", **SMALL)


@pytest.fixture(scope="module")
def collection(scenario):
    return Collection(scenario.twarc_paths)


@pytest.fixture(scope="module")
def truth(scenario):
    return scenario.ground_truth()


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(tmp_path):
    kwargs = dict(scale=0.05, days=35)
    a = generate(tmp_path / "a", seed=3, **kwargs)
    # the same seed in another process, with another string-hash seed, writes the same bytes
    code = f"from coordgraph.synth import generate; generate({str(tmp_path / 'b')!r}, seed=3, **{kwargs!r})"
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONHASHSEED": "123"})
    generate(tmp_path / "c", seed=4, **kwargs)

    def digests(folder: Path) -> dict[str, str]:
        return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}

    first = digests(tmp_path / "a")
    assert len(first) == len(a.files) >= 5
    assert digests(tmp_path / "b") == first
    other = digests(tmp_path / "c")
    shared = set(first) & set(other)
    assert shared and all(first[k] != other[k] for k in shared)


def test_pages_have_the_twarc2_layout(collection, scenario):
    real_tweet_keys = {"possibly_sensitive", "reply_settings", "text", "author_id", "in_reply_to_user_id", "entities", "lang",
                       "created_at", "public_metrics", "id", "source", "conversation_id", "referenced_tweets", "attachments"}
    real_user_keys = {"name", "protected", "location", "id", "created_at", "description", "public_metrics", "url", "verified",
                      "username", "profile_image_url", "entities", "pinned_tweet_id"}
    assert len(collection.pages) >= 10
    handles = [u["username"].lower() for u in collection.users.values()]
    assert len(handles) == len(set(handles))
    for page in collection.pages:
        assert set(page) == {"data", "includes", "meta", "__twarc"}
        assert page["meta"]["result_count"] == len(page["data"]) <= scenario.params.page_size
        assert page["meta"]["newest_id"] == page["data"][0]["id"] and page["meta"]["oldest_id"] == page["data"][-1]["id"]
        assert page["__twarc"]["url"].startswith("https://api.twitter.com/2/tweets/search/all?")
        user_ids = {u["id"] for u in page["includes"]["users"]}
        included = {t["id"] for t in page["includes"].get("tweets", [])}
        media = {m["media_key"]: m for m in page["includes"].get("media", [])}
        attached = {k for t in page["data"] + page["includes"].get("tweets", []) for k in t.get("attachments", {}).get("media_keys", [])}
        assert attached == set(media)
        for m in media.values():
            assert m["type"] == "photo" and m["url"].startswith("https://pbs.twimg.com/media/") and m["width"] > 0
        for t in page["data"]:
            assert set(t) <= real_tweet_keys and {"id", "text", "author_id", "created_at", "conversation_id", "lang", "source"} <= set(t)
            assert t["author_id"] in user_ids
            for ref in t.get("referenced_tweets", []):
                assert ref["id"] in included
        for u in page["includes"]["users"]:
            assert collection.users[u["id"]] == u  # one profile per id everywhere
            assert set(u) <= real_user_keys and {"id", "username", "name", "created_at", "public_metrics"} <= set(u)


def test_ids_are_snowflakes_consistent_with_times(collection):
    for t in collection.tweets.values():
        encoded = (int(t["id"]) >> 22) + TWITTER_EPOCH_MS
        assert 0 <= encoded - parse_time(t["created_at"]) < 1000  # created_at is to the second


def test_retweets_replies_and_quotes_are_shaped_like_the_api(collection):
    kinds = defaultdict(int)
    for t in collection.data.values():
        kind, ref = collection.ref(t)
        kinds[kind] += 1
        if kind is None:
            continue
        assert ref is not None
        assert parse_time(t["created_at"]) >= parse_time(ref["created_at"])
        author = collection.users[ref["author_id"]]["username"]
        if kind == "retweeted":
            assert t["text"].startswith(f"RT @{author}: ")
            assert len(t["text"]) <= 140
            mention = t["entities"]["mentions"][0]
            assert t["text"][mention["start"]:mention["end"]] == "@" + author
        elif kind == "replied_to":
            assert t["in_reply_to_user_id"] == ref["author_id"]
            assert t["text"].startswith("@" + author)
        elif kind == "quoted":
            assert t["entities"]["urls"][-1]["expanded_url"].endswith(f"/status/{ref['id']}")
        for tag in t.get("entities", {}).get("hashtags", []):
            assert t["text"][tag["start"]:tag["end"]] == "#" + tag["tag"]
    assert kinds["retweeted"] > kinds["replied_to"] > kinds["quoted"] > 0 and kinds[None] > 0
    photos = [t for t in collection.data.values() if "attachments" in t]
    assert 0.03 < len(photos) / (len(collection.data) - kinds["retweeted"]) < 0.3
    for t in photos[:200]:
        # the photo's pic.twitter.com link is in the text, and the photo was uploaded before the post
        assert any(u["display_url"].startswith("pic.twitter.com/") for u in t["entities"]["urls"])
        key = int(t["attachments"]["media_keys"][0].split("_")[1])
        assert (key >> 22) + TWITTER_EPOCH_MS <= parse_time(t["created_at"]) + 1000


def test_network_size_burst_fraction_and_dormancy(collection, truth):
    members = {m["id"] for m in truth["network"]["members"]}
    assert len(members) == 62
    authors = {t["author_id"] for t in collection.data.values()}
    assert members <= authors  # every member acts at least once, low-activity ones included
    created = np.array(sorted(parse_time(collection.users[m]["created_at"]) for m in members))
    gaps = np.diff(created)
    close = np.zeros(len(created), bool)
    close[1:] |= gaps <= 10 * 60_000
    close[:-1] |= gaps <= 10 * 60_000
    assert 0.28 <= close.mean() <= 0.45  # about a third, created within minutes of another member
    first = defaultdict(lambda: 2**62)
    for t in collection.data.values():
        if t["author_id"] in members:
            first[t["author_id"]] = min(first[t["author_id"]], parse_time(t["created_at"]))
    dormant_days = [(first[m] - parse_time(collection.users[m]["created_at"])) / 86_400_000 for m in members]
    assert min(dormant_days) >= 30
    counts = defaultdict(int)
    for t in collection.data.values():
        counts[t["author_id"]] += 1
    assert sum(1 for m in members if counts[m] <= 5) >= 5  # low-activity members exist


def test_engagement_shares_measured_from_files_match_the_promise_and_the_truth(collection, truth):
    targets = {t["id"] for t in truth["targets"]}
    members = {m["id"] for m in truth["network"]["members"]}
    totals = defaultdict(lambda: [0, 0])
    weekly = defaultdict(lambda: [0, 0])
    for kind, who, ms, _ in collection.engagements(targets):
        totals[kind][0] += who in members
        totals[kind][1] += 1
        if kind == "retweeted":
            day = datetime.fromtimestamp(ms / 1000, tz=timezone.utc).date()
            monday = day.toordinal() - day.weekday()
            weekly[monday][0] += who in members
            weekly[monday][1] += 1
    rt, rp = totals["retweeted"], totals["replied_to"]
    assert abs(rt[0] / rt[1] - 0.44) < 0.03
    assert abs(rp[0] / rp[1] - 0.20) < 0.03
    overall = truth["engagement"]["all_targets"]["overall"]
    assert [overall["retweets"]["network"], overall["retweets"]["total"]] == rt
    assert [overall["replies"]["network"], overall["replies"]["total"]] == rp
    shares = [n / t for n, t in weekly.values() if t >= 20]
    assert max(shares) >= 0.5 and min(shares) < 0.3  # peak weeks and quiet weeks
    truth_weeks = defaultdict(lambda: [0, 0])
    for target in truth["targets"]:
        for w in truth["engagement"][target["username"]]["weekly"]:
            day = datetime.fromisoformat(w["week"]).date()
            assert day.weekday() == 0
            truth_weeks[day.toordinal()][0] += w["retweets"]["network"]
            truth_weeks[day.toordinal()][1] += w["retweets"]["total"]
    assert dict(truth_weeks) == dict(weekly)


def test_shares_are_configurable(tmp_path):
    s = generate(tmp_path / "s", seed=5, scale=0.08, days=50, retweet_share=0.25, reply_share=0.35, network_size=30)
    c = Collection(s.twarc_paths)
    truth = s.ground_truth()
    targets = {t["id"] for t in truth["targets"]}
    members = {m["id"] for m in truth["network"]["members"]}
    assert len(members) == 30
    n = defaultdict(lambda: [0, 0])
    for kind, who, _, _ in c.engagements(targets):
        n[kind][0] += who in members
        n[kind][1] += 1
    assert abs(n["retweeted"][0] / n["retweeted"][1] - 0.25) < 0.03
    assert abs(n["replied_to"][0] / n["replied_to"][1] - 0.35) < 0.04


def _follow_on_gaps(collection, members, targets):
    """Seconds between consecutive retweets of the same target post by network members."""
    by_post = defaultdict(list)
    for kind, who, ms, ref in collection.engagements(targets):
        if kind == "retweeted" and who in members:
            by_post[ref["id"]].append(ms)
    gaps = []
    for times in by_post.values():
        times.sort()
        gaps.extend(np.diff(times) / 1000)
    return np.array(gaps)


def test_cascades_follow_within_seconds_to_minutes(collection, truth):
    members = {m["id"] for m in truth["network"]["members"]}
    targets = {t["id"] for t in truth["targets"]}
    gaps = _follow_on_gaps(collection, members, targets)
    assert len(gaps) > 500
    assert 0.5 <= np.mean(gaps <= 60) <= 0.97  # mostly within a minute, not perfectly
    assert np.mean(gaps <= 150) >= 0.75


def test_easy_is_tighter_than_hard(tmp_path, collection, truth):
    easy = generate(tmp_path / "easy", seed=11, difficulty="easy", **SMALL)
    c = Collection(easy.twarc_paths)
    t = easy.ground_truth()
    easy_gaps = _follow_on_gaps(c, {m["id"] for m in t["network"]["members"]}, {x["id"] for x in t["targets"]})
    hard_gaps = _follow_on_gaps(collection, {m["id"] for m in truth["network"]["members"]}, {x["id"] for x in truth["targets"]})
    assert np.median(easy_gaps) < np.median(hard_gaps)
    assert sum(len(v) for v in t["hard_negatives"].values()) < sum(len(v) for v in truth["hard_negatives"].values())


def test_templated_replies_share_phrases_organic_replies_do_not(collection, truth):
    members = {m["id"] for m in truth["network"]["members"]}
    targets = {t["id"] for t in truth["targets"]}

    def top_phrase_share(texts):
        grams = defaultdict(int)
        for text in texts:
            words = text.lower().split()[1:]  # drop the @mention
            for g in {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}:
                grams[g] += 1
        return max(grams.values()) / len(texts)

    net = [t["text"] for t in collection.data.values() if t["author_id"] in members and collection.ref(t)[0] == "replied_to"]
    org = [t["text"] for t in collection.data.values()
           if t["author_id"] not in members and collection.ref(t)[0] == "replied_to" and collection.ref(t)[1]["author_id"] in targets]
    assert top_phrase_share(net) > 0.1
    assert top_phrase_share(org) < top_phrase_share(net) / 2


def test_hard_negatives_are_present_in_the_files(collection, truth):
    hard = truth["hard_negatives"]
    targets = {t["id"] for t in truth["targets"]}
    members = {m["id"] for m in truth["network"]["members"]}
    assert not (members & {i for ids in hard.values() for i in ids})
    # superfans retweet targets fast
    delays = [ms - parse_time(ref["created_at"]) for k, who, ms, ref in collection.engagements(targets)
              if k == "retweeted" and who in set(hard["superfan"])]
    assert len(delays) > 50 and np.median(delays) < 5 * 60_000
    # a viral post gets many organic retweets within minutes
    post = truth["viral_posts"][0]
    times = sorted(parse_time(t["created_at"]) for t in collection.data.values()
                   if collection.ref(t)[0] == "retweeted" and t["referenced_tweets"][0]["id"] == post["id"])
    window = max(np.searchsorted(times, t + 10 * 60_000) - i for i, t in enumerate(times))
    assert window >= 25
    # slogan users use the network's hashtag; burst-day organics were created on a burst day
    slogan = vocab.SLOGAN_HASHTAG
    tagged = {t["author_id"] for t in collection.data.values() if any(h["tag"] == slogan for h in t.get("entities", {}).get("hashtags", []))}
    assert set(hard["slogan_user"]) <= tagged and tagged & members
    burst_days = {b["date"] for b in truth["burst_days"]}
    for account in hard["burst_day_organic"]:
        if account in collection.users:
            assert collection.users[account]["created_at"][:10] in burst_days
    assert len(hard["fan_community"]) >= 20


def test_io_archive_and_status_csvs(scenario, collection, truth):
    with scenario.io_users_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        assert tuple(next(reader)) == IO_USER_COLUMNS
        users = list(reader)
    assert len(users) == 62
    with scenario.io_tweets_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == IO_TWEET_COLUMNS
    members = {m["id"] for m in truth["network"]["members"]}
    hashed = {m["io_userid"] for m in truth["network"]["members"]}
    member_tweets = {t["id"] for t in collection.data.values() if t["author_id"] in members}
    assert {r["tweetid"] for r in rows} == member_tweets
    for r in rows[:300]:
        assert r["userid"] in hashed and len(base64.b64decode(r["userid"])) == 32
        datetime.strptime(r["tweet_time"], "%Y-%m-%d %H:%M")
        datetime.strptime(r["account_creation_date"], "%Y-%m-%d")
        assert r["is_retweet"] in ("True", "False") and r["latitude"] == "absent"
        assert r["hashtags"].startswith("[") and float(r["like_count"]) >= 0
        if r["is_retweet"] == "True":
            assert r["retweet_tweetid"] in collection.tweets and r["tweet_text"].startswith("RT @")
        minute = datetime.fromisoformat(collection.data[r["tweetid"]]["created_at"].replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M")
        assert r["tweet_time"] == minute
    with scenario.status_path.open(encoding="utf-8", newline="") as fh:
        status = list(csv.DictReader(fh))
    assert list(status[0].keys()) == ["account_id", "status", "checked_at"]
    of_members = defaultdict(int)
    for row in status:
        assert row["account_id"] in collection.users
        if row["account_id"] in members:
            of_members[row["status"]] += 1
    assert dict(of_members) == {"suspended": 31, "deleted": 2, "active": 29}


def test_unknown_parameters_and_bad_values_are_refused(tmp_path):
    with pytest.raises(TypeError):
        generate(tmp_path, network_sise=10)
    with pytest.raises(ValueError):
        generate(tmp_path, difficulty="brutal")
    with pytest.raises(ValueError):
        generate(tmp_path, retweet_share=1.0)
