"""Turn the world into publishable records: snowflake ids, conversations, counts and composed texts with entities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .ids import account_ids, unique_snowflakes
from .world import QUOTE, REPLY, RETWEET, World

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
RT_LIMIT = 140  # API v2 truncates retweet texts


@dataclass
class Published:
    """Everything the writers need, with ids as strings and per-event composed texts and entities."""

    world: World
    account_id: np.ndarray  # int64 per account row
    tweet_id: np.ndarray  # int64 per event row
    conversation: np.ndarray  # event row of the conversation root
    retweets: np.ndarray
    replies: np.ndarray
    quotes: np.ndarray
    likes: np.ndarray
    tweet_count: np.ndarray  # per account
    present: np.ndarray  # bool per account: appears in the data (author, referenced or mentioned)
    media: np.ndarray  # media key of the photo attached to each event, or ""

    def __post_init__(self) -> None:
        # plain lists: per-row access from Python is much faster than numpy indexing
        ev, acc = self.world.events, self.world.accounts
        self.kinds = ev.col("kind").tolist()
        self.refs = ev.col("ref").tolist()
        self.authors = ev.col("author").tolist()
        self.bodies = ev.col("body").tolist()
        self.mentions = ev.col("mentions").tolist()
        self.hashtags = ev.col("hashtags").tolist()
        self.links = ev.col("link").tolist()
        self.usernames = acc.col("username").tolist()
        self.account_ids = [str(x) for x in self.account_id.tolist()]
        self.tweet_ids = [str(x) for x in self.tweet_id.tolist()]
        self.media_keys = self.media.tolist()
        self._text_cache: dict[int, tuple[str, dict]] = {}
        self._retweet_text_cache: dict[int, tuple[str, dict]] = {}

    def text(self, i: int) -> tuple[str, dict[str, list[dict[str, Any]]]]:
        """The tweet's full text and its v2 entities (hashtags, mentions, urls with code-point offsets).

        Kept per post; every retweet of a post has the same text, kept once per retweeted post."""
        if self.kinds[i] == RETWEET:
            ref = self.refs[i]
            cached = self._retweet_text_cache.get(ref)
            if cached is None:
                cached = self._retweet_text_cache[ref] = self._compose_retweet(ref)
            return cached
        cached = self._text_cache.get(i)
        if cached is None:
            cached = self._text_cache[i] = self._compose(i)
        return cached

    def _compose_retweet(self, ref: int) -> tuple[str, dict]:
        """``RT @author: <text of ref>``, cut at the API's limit, with the entities that still fit."""
        usernames = self.usernames
        ids = self.account_ids
        author = self.authors[ref]
        handle = usernames[author]
        inner, inner_entities = self.text(ref)
        prefix = f"RT @{handle}: "
        full = prefix + inner
        truncated = len(full) > RT_LIMIT
        text = full[: RT_LIMIT - 1] + "…" if truncated else full
        limit = len(text) - (1 if truncated else 0)
        entities: dict[str, list] = {"mentions": [{"start": 3, "end": 4 + len(handle), "username": handle, "id": ids[author]}]}
        shift = len(prefix)
        for key in ("hashtags", "urls", "mentions"):
            for ent in inner_entities.get(key, []):
                if ent["end"] + shift <= limit:
                    moved = dict(ent)
                    moved["start"] += shift
                    moved["end"] += shift
                    entities.setdefault(key, []).append(moved)
        return text, entities

    def _compose(self, i: int) -> tuple[str, dict]:
        """An original's, reply's or quote's text: the body with its mentions, hashtags and links."""
        kind = self.kinds[i]
        usernames = self.usernames
        ids = self.account_ids
        parts: list[str] = []
        entities = {}
        pos = 0

        def emit(s: str) -> tuple[int, int]:
            nonlocal pos
            start = pos
            parts.append(s)
            pos += len(s)
            return start, pos

        if kind == REPLY:
            parent_author = self.authors[self.refs[i]]
            start, end = emit("@" + usernames[parent_author])
            entities.setdefault("mentions", []).append({"start": start, "end": end, "username": usernames[parent_author], "id": ids[parent_author]})
            emit(" ")
        emit(self.bodies[i])
        for m in self.mentions[i]:
            emit(" ")
            start, end = emit("@" + usernames[m])
            entities.setdefault("mentions", []).append({"start": start, "end": end, "username": usernames[m], "id": ids[m]})
        for tag in self.hashtags[i]:
            emit(" ")
            start, end = emit("#" + tag)
            entities.setdefault("hashtags", []).append({"start": start, "end": end, "tag": tag})
        links = []  # (expanded url, display url or None)
        if self.links[i]:
            links.append((self.links[i], None))
        if self.media_keys[i]:
            # a photo shows in the text as a pic.twitter.com link, like the API's
            links.append((f"https://twitter.com/{usernames[self.authors[i]]}/status/{self.tweet_ids[i]}/photo/1",
                          "pic.twitter.com/" + tco(int(self.tweet_id[i]), 9)[-10:]))
        if kind == QUOTE:
            ref = self.refs[i]
            links.append((f"https://twitter.com/{usernames[self.authors[ref]]}/status/{self.tweet_ids[ref]}", None))
        for k, (url, display) in enumerate(links):
            emit(" ")
            short = tco(int(self.tweet_id[i]), k)
            start, end = emit(short)
            if display is None:
                display = url.split("//", 1)[1]
                display = display if len(display) <= 26 else display[:26] + "…"
            entities.setdefault("urls", []).append({"start": start, "end": end, "url": short, "expanded_url": url, "display_url": display})
        return "".join(parts), entities


def tco(seed: int, k: int) -> str:
    """A deterministic t.co short link."""
    x = (seed * 2654435761 + k * 97 + 12345) % (62**10)
    chars = []
    for _ in range(10):
        x, r = divmod(x, 62)
        chars.append(_B62[r])
    return "https://t.co/" + "".join(chars)


def publish(world: World) -> Published:
    """Assign ids, conversations and counts; the world's events must reference only earlier events."""
    rng = world.rng
    ev, acc = world.events, world.accounts
    refs = ev.col("ref")
    ms = ev.col("ms").copy()
    has_ref = refs >= 0
    # a reaction is always after what it reacts to (guards against rounding in the stages)
    ms[has_ref] = np.maximum(ms[has_ref], ms[refs[has_ref]] + 1000)
    ev.set("ms", np.arange(ev.size), ms)
    tweet_id = unique_snowflakes(ms, rng)
    account_id = account_ids(acc.col("created_ms"), rng)

    kinds = ev.col("kind")
    conversation = np.arange(ev.size)
    is_reply = kinds == REPLY
    conversation[is_reply] = refs[is_reply]
    for _ in range(64):  # pointer jumping up reply chains
        parent_is_reply = is_reply[conversation]
        if not parent_is_reply.any():
            break
        conversation = np.where(parent_is_reply, refs[conversation].clip(0), conversation)

    def count(kind: int) -> np.ndarray:
        mask = (kinds == kind) & has_ref
        return np.bincount(refs[mask], minlength=ev.size)

    retweets, replies, quotes = count(RETWEET), count(REPLY), count(QUOTE)
    likes = (retweets * rng.uniform(1.5, 4.0, ev.size) + rng.poisson(0.8, ev.size)).astype(np.int64)
    likes[kinds == RETWEET] = 0
    authors = ev.col("author")
    tweet_count = np.bincount(authors, minlength=acc.size) + np.round(np.exp(rng.normal(6.0, 1.5, acc.size))).astype(np.int64)
    present = np.zeros(acc.size, bool)
    present[authors] = True
    present[authors[refs[has_ref]]] = True
    for m in ev.col("mentions"):
        for a in m:
            present[a] = True
    # photos: officials and outlets attach them often, ordinary users now and then; uploaded just before posting
    rate_by_tag = {"target": 0.3, "popular": 0.35, "network": 0.1}
    rate = np.array([rate_by_tag.get(t, 0.07) for t in ev.col("tag").tolist()])
    has_media = (kinds != RETWEET) & (rng.random(ev.size) < rate)
    upload_ms = ms[has_media] - rng.integers(2_000, 90_000, int(has_media.sum()))
    media = np.full(ev.size, "", dtype=object)
    media[has_media] = [f"3_{x}" for x in unique_snowflakes(upload_ms, rng).tolist()]
    return Published(world, account_id, tweet_id, conversation, retweets, replies, quotes, likes, tweet_count, present, media)
