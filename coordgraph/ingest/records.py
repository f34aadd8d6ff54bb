"""The one normalised record model every reader produces, and how bundles of records become write batches.

A reader turns each input row (a CSV row, a JSON line, one tweet of a page) into a :class:`Bundle` of graph
facts, or a :class:`Reject` / :class:`Skip`. :func:`merge_bundles` folds many bundles into one
:class:`Batch` with duplicates removed, which the writer sends as ``UNWIND $rows`` parameter lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .values import text_hash

ACCOUNT_FIELDS = (
    "platform", "username", "name", "created_ms", "description", "location", "lang", "followers",
    "following", "tweet_count", "verified", "profile_image_url", "default_profile_image",
)
TWEET_FIELDS = ("created_ms", "text", "lang", "source", "kind", "author_id", "conversation_id")


@dataclass(slots=True)
class Bundle:
    """Graph facts from one input row. ``events`` counts posts and engagements (not referenced posts)."""

    line: int
    events: int = 0
    accounts: list[dict] = field(default_factory=list)      # full profiles: id, profile_ms, ACCOUNT_FIELDS
    account_refs: list[dict] = field(default_factory=list)  # id (+ platform, username) of accounts only named
    tweets: list[dict] = field(default_factory=list)        # full posts: id, TWEET_FIELDS
    stubs: list[dict] = field(default_factory=list)         # referenced posts absent from the data: id (+ author_id, created_ms)
    retweets: list[dict] = field(default_factory=list)      # id, account_id, tweet_id, at_ms
    replies: list[tuple] = field(default_factory=list)      # (tweet_id, parent_id)
    quotes: list[tuple] = field(default_factory=list)       # (tweet_id, quoted_id)
    tags: list[tuple] = field(default_factory=list)         # (tweet_id, tag)
    links: list[tuple] = field(default_factory=list)        # (tweet_id, url, domain)
    mentions: list[tuple] = field(default_factory=list)     # (tweet_id, account_id)
    media: list[tuple] = field(default_factory=list)        # (tweet_id, key)
    statuses: list[dict] = field(default_factory=list)      # account_id, status, checked_ms


@dataclass(slots=True)
class Reject:
    """An input row that could not be used: where it is and why."""

    line: int
    field: str | None
    reason: str
    raw: str = ""


@dataclass(slots=True)
class Skip:
    """An input row that is valid but carries no posts (an API error, compliance record, counts page ...)."""

    line: int
    reason: str


def account(id_: str, profile_ms: int | None, **values: Any) -> dict:
    """A full account profile; None values are dropped so an older-but-richer profile is not blanked."""
    row = {"id": id_, "profile_ms": profile_ms if profile_ms is not None else 0}
    props = {k: v for k, v in values.items() if v is not None}
    if "username" in props:
        props["username_lc"] = props["username"].lower()
    row["props"] = props
    row["created_ms"] = props.get("created_ms")
    return row


def tweet(id_: str, **values: Any) -> dict:
    """A full post; ``text_hash`` is computed here so every reader hashes the same way."""
    props = {k: v for k, v in values.items() if v is not None}
    if "text" in props:
        props["text_hash"] = text_hash(props["text"])
    return {"id": id_, "author_id": values.get("author_id"), "created_ms": props.get("created_ms"), "props": props}


@dataclass(slots=True)
class Batch:
    """Deduplicated parameter lists for one write transaction."""

    accounts: list[dict]
    account_refs: list[dict]
    tweets: list[dict]
    stubs: list[dict]
    retweets: list[dict]
    replies: list[dict]
    quotes: list[dict]
    tags: list[dict]
    links: list[dict]
    mentions: list[dict]
    media: list[dict]
    statuses: list[dict]
    posted: list[dict]
    events: int
    lines: list[int]
    seen_accounts: list[dict] = field(default_factory=list)  # id, profile_ms: profiles unchanged since last written


def merge_bundles(bundles: list[Bundle]) -> Batch:
    """Fold bundles into one :class:`Batch`: the latest profile per account, full posts over stubs,
    every account and post a relationship needs present in the same batch."""
    accounts: dict[str, dict] = {}
    refs: dict[str, dict] = {}
    tweets: dict[str, dict] = {}
    stubs: dict[str, dict] = {}
    retweets: dict[tuple, dict] = {}
    replies, quotes, tags, links, mentions, media = set(), set(), set(), set(), set(), set()
    statuses: dict[tuple, dict] = {}
    events = 0
    for b in bundles:
        events += b.events
        for a in b.accounts:
            old = accounts.get(a["id"])
            if old is None or a["profile_ms"] >= old["profile_ms"]:
                accounts[a["id"]] = a
        for r in b.account_refs:
            old = refs.get(r["id"])
            if old is None or (r.get("username") and not old.get("username")):
                refs[r["id"]] = r
        for t in b.tweets:
            tweets[t["id"]] = t
        for s in b.stubs:
            old = stubs.get(s["id"])
            if old is None:
                stubs[s["id"]] = s
            elif s.get("author_id") and not old.get("author_id"):
                stubs[s["id"]] = {**old, **{k: v for k, v in s.items() if v is not None}}
        for r in b.retweets:
            # keyed on the whole edge: one id with two different endpoints must reach the database and fail
            # there, so the conflicting row is rejected rather than silently dropped
            retweets[(r["id"], r["account_id"], r["tweet_id"])] = r
        replies.update(b.replies)
        quotes.update(b.quotes)
        tags.update(b.tags)
        links.update(b.links)
        mentions.update(b.mentions)
        media.update(b.media)
        for s in b.statuses:
            statuses[(s["account_id"], s["checked_ms"])] = s
    for t in tweets.values():
        if t["author_id"]:
            refs.setdefault(t["author_id"], {"id": t["author_id"]})
    for s in stubs.values():
        if s.get("author_id"):
            refs.setdefault(s["author_id"], {"id": s["author_id"]})
    for r in retweets.values():
        refs.setdefault(r["account_id"], {"id": r["account_id"]})
        if r["tweet_id"] not in tweets:
            stubs.setdefault(r["tweet_id"], {"id": r["tweet_id"]})
    for _, account_id in mentions:
        refs.setdefault(account_id, {"id": account_id})
    for s in statuses.values():
        refs.setdefault(s["account_id"], {"id": s["account_id"]})
    for edges in (replies, quotes):
        for _, target in edges:
            if target not in tweets:
                stubs.setdefault(target, {"id": target})
    return Batch(
        accounts=list(accounts.values()),
        account_refs=[r for k, r in refs.items() if k not in accounts],
        tweets=list(tweets.values()),
        stubs=[s for k, s in stubs.items() if k not in tweets],
        retweets=list(retweets.values()),
        replies=[{"src": a, "dst": b} for a, b in replies],
        quotes=[{"src": a, "dst": b} for a, b in quotes],
        tags=[{"tweet_id": a, "tag": b} for a, b in tags],
        links=[{"tweet_id": a, "url": b, "domain": c} for a, b, c in links],
        mentions=[{"tweet_id": a, "account_id": b} for a, b in mentions],
        media=[{"tweet_id": a, "key": b} for a, b in media],
        statuses=list(statuses.values()),
        posted=[{"id": t["id"], "author_id": t["author_id"]} for t in tweets.values() if t["author_id"]]
        + [{"id": s["id"], "author_id": s["author_id"]} for k, s in stubs.items() if k not in tweets and s.get("author_id")],
        events=events,
        lines=[b.line for b in bundles],
    )


def drop_retweet_conflicts(bundles: list[Bundle], on_reject: Callable[[Reject, bool], None],
                           known: dict[str, tuple[str, str]]) -> list[Bundle]:
    """Reject each retweet whose id is another retweet already: earlier in these bundles, or in ``known`` (id ->
    (account id, post id) of retweets loaded before). ``on_reject(reject, whole_row)`` is told of each; a row that
    is nothing but conflicting retweets is dropped whole, in a bigger row (an API page) only the retweet goes.

    A retweet marked ``shares_several`` (a layout where one post may share several objects, as CooRTweet's
    content ids do) by the account that already holds the id is no conflict: it is the same post sharing
    another object, and becomes the retweet :func:`share_id` names."""
    first: dict[str, tuple[str, str]] = dict(known)
    clashing = False
    for b in bundles:
        for r in b.retweets:
            edge = (r["account_id"], r["tweet_id"])
            holder = first.setdefault(r["id"], edge)
            if holder != edge and r.get("shares_several") and holder[0] == edge[0]:
                r["id"] = share_id(r["id"], r["tweet_id"])
                first.setdefault(r["id"], edge)
            clashing |= first[r["id"]] != edge
    if not clashing:
        return bundles
    kept = []
    for b in bundles:
        clashes = [r for r in b.retweets if first[r["id"]] != (r["account_id"], r["tweet_id"])]
        whole_row = bool(clashes) and len(clashes) == len(b.retweets) and not b.tweets
        for clash in clashes:
            b.retweets.remove(clash)
            if clash.get("event", True) and b.events > 0:
                b.events -= 1
            other = first[clash["id"]]
            on_reject(Reject(b.line, "id", (
                f"retweet id {clash['id']} is already account {other[0]} retweeting post {other[1]}; this row makes it "
                f"account {clash['account_id']} retweeting post {clash['tweet_id']} (one id cannot be two retweets)")), whole_row)
        if not whole_row:
            kept.append(b)
    return kept


def share_id(content_id: str, object_id: str) -> str:
    """The retweet id of post ``content_id`` sharing ``object_id`` when that post shares several objects: the
    first share keeps the content id, the others are ``<content id>#<object id>``."""
    return f"{content_id}#{object_id}"
