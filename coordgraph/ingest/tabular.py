"""CSV layouts: the Information Operations archive, the generic engagement CSV (and the layouts of CooRTweet and
the coordination-network-toolkit it accepts as they are), and account status snapshots.

Each layout is recognised from its header and turns one row (a dict column -> text) into a :class:`Bundle`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from .records import Bundle, account, tweet
from .values import (
    BadValue,
    domain_of,
    parse_date_ms,
    parse_time_ms,
    refine_minute_ms,
    snowflake_ms,
    split_list,
    text_hash,
    to_bool,
    to_int,
)

RowFn = Callable[[dict, Bundle], None]


@dataclass(frozen=True)
class Layout:
    """A recognised CSV layout: the columns that identify it and the function that reads a row."""

    name: str        # e.g. "csv:coortweet", stored on :Source.format
    fmt: str         # the --format family: csv, io-archive or status
    required: frozenset[str]
    read_row: RowFn | None  # None: a known file that carries no posts (skipped with ``skip_reason``)
    skip_reason: str = ""


def _req(row: dict, col: str) -> str:
    value = row.get(col)
    if value is None or value.strip() == "":
        raise BadValue(col, "missing value")
    return value.strip()


def _opt(row: dict, col: str) -> str | None:
    value = row.get(col)
    if value is None:
        return None
    value = value.strip()
    return value or None


# --- Information Operations archive ------------------------------------------------------------------------

def _io_profile(row: dict, snapshot_ms: int) -> dict:
    created = _opt(row, "account_creation_date")
    return account(
        _req(row, "userid"),
        snapshot_ms,
        platform="twitter",
        username=_opt(row, "user_screen_name"),
        name=_opt(row, "user_display_name"),
        created_ms=parse_date_ms(created, "account_creation_date") if created else None,
        description=_opt(row, "user_profile_description"),
        location=_opt(row, "user_reported_location"),
        lang=_opt(row, "account_language"),
        followers=to_int(_opt(row, "follower_count"), "follower_count"),
        following=to_int(_opt(row, "following_count"), "following_count"),
    )


def io_tweet_row(row: dict, b: Bundle) -> None:
    """One row of an IO archive tweets file (``tweet_time`` to the minute; ms recovered from the snowflake id)."""
    tid = _req(row, "tweetid")
    author = _req(row, "userid")
    created_ms = refine_minute_ms(parse_time_ms(_req(row, "tweet_time"), "tweet_time"), tid)
    b.accounts.append(_io_profile(row, created_ms))
    b.events += 1
    if to_bool(_opt(row, "is_retweet")):
        target = _opt(row, "retweet_tweetid")
        if not target:
            raise BadValue("retweet_tweetid", "retweet without the id of the retweeted tweet")
        target_author = _opt(row, "retweet_userid")
        b.retweets.append({"id": tid, "account_id": author, "tweet_id": target, "at_ms": created_ms})
        b.stubs.append({"id": target, "created_ms": snowflake_ms(target), "author_id": target_author})
        return
    kind = "original"
    parent = _opt(row, "in_reply_to_tweetid")
    if parent:
        kind = "reply"
        b.replies.append((tid, parent))
        b.stubs.append({"id": parent, "created_ms": snowflake_ms(parent), "author_id": _opt(row, "in_reply_to_userid")})
    quoted = _opt(row, "quoted_tweet_tweetid")
    if quoted:
        kind = "quote" if kind == "original" else kind
        b.quotes.append((tid, quoted))
        b.stubs.append({"id": quoted, "created_ms": snowflake_ms(quoted)})
    b.tweets.append(
        tweet(tid, created_ms=created_ms, text=row.get("tweet_text") or "", lang=_opt(row, "tweet_language"),
              source=_opt(row, "tweet_client_name"), kind=kind, author_id=author)
    )
    _post_entities(b, tid, row.get("hashtags"), row.get("urls"), row.get("user_mentions"), None, "twitter")


def io_user_row(row: dict, b: Bundle) -> None:
    """One row of an IO archive users file (no snapshot time: tweet rows, which carry a time, take precedence)."""
    b.accounts.append(_io_profile(row, 0))


def _post_entities(b: Bundle, tid: str, hashtags, urls, mentions, media, platform: str) -> None:
    for tag in split_list(hashtags):
        b.tags.append((tid, tag.lstrip("#").lower()))
    for url in split_list(urls):
        b.links.append((tid, url, domain_of(url)))
    for mid in split_list(mentions):
        mid = mid.lstrip("@")
        b.mentions.append((tid, mid))
        b.account_refs.append({"id": mid, "platform": platform})
    for key in split_list(media):
        b.media.append((tid, key))


# --- generic engagement CSV ----------------------------------------------------------------------------------

ACTIONS = {
    "post": "original", "original": "original", "tweet": "original", "status": "original",
    "reply": "reply", "comment": "reply",
    "quote": "quote",
    "repost": "repost", "retweet": "repost", "share": "repost", "boost": "repost", "reblog": "repost", "forward": "repost",
}


def generic_row(row: dict, b: Bundle) -> None:
    """One row of the generic engagement CSV (see README, "Loading data")."""
    account_id = _req(row, "account_id")
    action_text = _req(row, "action").lower()
    action = ACTIONS.get(action_text)
    if action is None:
        raise BadValue("action", f"unknown action {action_text!r}; use one of {', '.join(sorted(ACTIONS))}")
    post_id = _req(row, "post_id")
    at_ms = parse_time_ms(_req(row, "time"), "time")
    platform = _opt(row, "platform") or "generic"
    created = _opt(row, "account_created_at")
    username = _opt(row, "username")
    name = _opt(row, "name")
    if username or name or created:
        b.accounts.append(account(account_id, at_ms, platform=platform, username=username, name=name,
                                  created_ms=parse_time_ms(created, "account_created_at") if created else None))
    else:
        b.account_refs.append({"id": account_id, "platform": platform})
    b.events += 1
    target = _opt(row, "target_post_id")
    target_author = _opt(row, "target_account_id")
    if action != "original" and not target:
        raise BadValue("target_post_id", f"a {action_text} needs the id of the post it engages")
    if target:
        b.stubs.append({"id": target, "author_id": target_author})
        if target_author:
            b.account_refs.append({"id": target_author, "platform": platform})
    if action == "repost":
        b.retweets.append({"id": post_id, "account_id": account_id, "tweet_id": target, "at_ms": at_ms})
        return
    if action == "reply":
        b.replies.append((post_id, target))
    elif action == "quote":
        b.quotes.append((post_id, target))
    b.tweets.append(tweet(post_id, created_ms=at_ms, text=row.get("text"), lang=_opt(row, "lang"), kind=action,
                          author_id=account_id))
    _post_entities(b, post_id, row.get("hashtags"), row.get("urls"), row.get("mentions"), row.get("media"), platform)


def coortweet_row(row: dict, b: Bundle) -> None:
    """CooRTweet's ``object_id, account_id, content_id, timestamp_share``: account_id retweeted object_id; the
    retweet's id is content_id. CooRTweet lets one content id share several objects (one row each, each a row
    its ``min_participation`` counts): the account's later shares of other objects get the ids
    :func:`~.records.share_id` names, so every row stays one retweet and a reload finds the same ids."""
    account_id = _req(row, "account_id")
    object_id = _req(row, "object_id")
    content_id = _req(row, "content_id")
    at_ms = parse_time_ms(_req(row, "timestamp_share"), "timestamp_share")
    b.events += 1
    b.account_refs.append({"id": account_id, "platform": "twitter"})
    b.stubs.append({"id": object_id, "created_ms": snowflake_ms(object_id)})
    b.retweets.append({"id": content_id, "account_id": account_id, "tweet_id": object_id, "at_ms": at_ms,
                       "shares_several": True})


GERMAN_PLATFORMS = {"tw": "twitter", "fb": "facebook", "ig": "instagram", "tg": "telegram"}


def coortweet_objects_row(row: dict, b: Bundle) -> None:
    """CooRTweet's german_elections layout: a post by account_id at timestamp sharing a URL, hashtag, domain
    or image hash (anonymised ids). A domain with no URL gets a Url node ``domain:<id>`` standing for it."""
    account_id = _req(row, "account_id")
    post_id = _req(row, "post_id")
    at_ms = parse_time_ms(_req(row, "timestamp"), "timestamp")
    prefix = account_id.split("_", 1)[0].lower() if "_" in account_id else ""
    platform = GERMAN_PLATFORMS.get(prefix, "generic")
    b.events += 1
    b.account_refs.append({"id": account_id, "platform": platform})
    b.tweets.append(tweet(post_id, created_ms=at_ms, kind="original", author_id=account_id))
    url_id, domain_id = _opt(row, "url_id"), _opt(row, "domain_id")
    if url_id or domain_id:
        b.links.append((post_id, url_id or f"domain:{domain_id}", domain_id))
    if _opt(row, "hashtag_id"):
        b.tags.append((post_id, _opt(row, "hashtag_id").lower()))
    if _opt(row, "phash_id"):
        b.media.append((post_id, _opt(row, "phash_id")))


def cnt_row(row: dict, b: Bundle) -> None:
    """coordination-network-toolkit's ``message_id,user_id,username,repost_id,reply_id,message,timestamp,urls``."""
    message_id = _req(row, "message_id")
    user_id = _req(row, "user_id")
    at_ms = parse_time_ms(_req(row, "timestamp"), "timestamp")
    username = _opt(row, "username")
    if username:
        b.accounts.append(account(user_id, at_ms, platform="generic", username=username))
    else:
        b.account_refs.append({"id": user_id, "platform": "generic"})
    b.events += 1
    repost = _opt(row, "repost_id")
    if repost:
        b.retweets.append({"id": message_id, "account_id": user_id, "tweet_id": repost, "at_ms": at_ms})
        b.stubs.append({"id": repost})
        return
    kind = "original"
    reply = _opt(row, "reply_id")
    if reply:
        kind = "reply"
        b.replies.append((message_id, reply))
        b.stubs.append({"id": reply})
    b.tweets.append(tweet(message_id, created_ms=at_ms, text=row.get("message"), kind=kind, author_id=user_id))
    _post_entities(b, message_id, None, row.get("urls"), None, None, "generic")


_HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)")
_URL_RE = re.compile(r"https?://[^\s]+")
_RT_PREFIX_RE = re.compile(r"^RT @\w+:\s*")


def ira_row(row: dict, b: Bundle) -> None:
    """FiveThirtyEight / Clemson IRA tweets (``author_id`` is the handle, ``publish_date`` to the minute, no post
    ids). A post's id is ``ira:<hash of author, time, text>``; a retweet (post_type R) points to a stub post
    ``ira-text:<hash of the retweeted text>``, so retweets of the same text meet at one node."""
    handle = _req(row, "author_id")
    content = row.get("content") or ""
    at_ms = parse_time_ms(_req(row, "publish_date"), "publish_date")
    b.accounts.append(account(handle, at_ms, platform="twitter", username=handle, lang=None,
                              followers=to_int(_opt(row, "followers"), "followers"),
                              following=to_int(_opt(row, "following"), "following"),
                              tweet_count=to_int(_opt(row, "updates"), "updates")))
    b.events += 1
    post_type = (_opt(row, "post_type") or "").upper()
    post_id = "ira:" + hashlib.blake2b(f"{handle}\x1f{at_ms}\x1f{content}".encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
    if post_type.startswith("R"):
        target = "ira-text:" + text_hash(_RT_PREFIX_RE.sub("", content))
        b.stubs.append({"id": target})
        b.retweets.append({"id": post_id, "account_id": handle, "tweet_id": target, "at_ms": at_ms})
        return
    kind = "quote" if post_type.startswith("Q") else "original"
    b.tweets.append(tweet(post_id, created_ms=at_ms, text=content, lang=_opt(row, "language"), kind=kind, author_id=handle))
    for tag in _HASHTAG_RE.findall(content):
        b.tags.append((post_id, tag.lower()))
    for url in _URL_RE.findall(content):
        b.links.append((post_id, url, domain_of(url)))


# --- account status snapshots ----------------------------------------------------------------------------------

STATUSES = ("active", "suspended", "deleted", "protected", "withheld", "deactivated", "not_found")


def status_row(row: dict, b: Bundle) -> None:
    """One status observation: ``account_id, status, checked_at`` (+ optional ``username``)."""
    account_id = _req(row, "account_id")
    status = _req(row, "status").lower()
    if status not in STATUSES:
        raise BadValue("status", f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    checked_ms = parse_time_ms(_req(row, "checked_at"), "checked_at")
    b.events += 1
    b.statuses.append({"account_id": account_id, "status": status, "checked_ms": checked_ms,
                       "key": f"{account_id}/{checked_ms}"})
    username = _opt(row, "username")
    if username:
        b.account_refs.append({"id": account_id, "username": username})


LAYOUTS: tuple[Layout, ...] = (
    Layout("io-archive:tweets", "io-archive", frozenset({"tweetid", "userid", "tweet_time"}), io_tweet_row),
    Layout("io-archive:users", "io-archive", frozenset({"userid", "account_creation_date", "user_screen_name"}), io_user_row),
    Layout("csv:generic", "csv", frozenset({"account_id", "action", "post_id", "time"}), generic_row),
    Layout("csv:coortweet", "csv", frozenset({"object_id", "account_id", "content_id", "timestamp_share"}), coortweet_row),
    Layout("csv:coortweet-objects", "csv", frozenset({"account_id", "post_id", "url_id", "hashtag_id", "domain_id", "phash_id", "timestamp"}), coortweet_objects_row),
    Layout("csv:cnt", "csv", frozenset({"message_id", "user_id", "repost_id", "reply_id", "timestamp"}), cnt_row),
    Layout("csv:ira", "csv", frozenset({"author_id", "content", "publish_date", "post_type"}), ira_row),
    Layout("status", "status", frozenset({"account_id", "status", "checked_at"}), status_row),
    # files researchers keep beside their data that hold no posts: recognised so they are skipped, not rejected
    Layout("peer-output:edges", "csv", frozenset({"user_1", "user_2", "weight"}), None, "coordination edge list of a peer tool (no posts)"),
    Layout("peer-output:edges", "csv", frozenset({"from", "to", "weight"}), None, "coordination edge list of a peer tool (no posts)"),
    Layout("peer-output:account-stats", "csv", frozenset({"account_id", "avg_time_delta"}), None, "per-account statistics of a peer tool (no posts)"),
    Layout("peer-output:groups", "csv", frozenset({"object_id", "content_id", "content_id_y", "time_delta"}), None, "co-share pairs computed by a peer tool (no posts)"),
    Layout("ira:authors", "csv", frozenset({"author_id", "account_category"}), None, "list of account labels (no posts)"),
    Layout("ira:author-stats", "csv", frozenset({"author_id", "tweet_count", "earliest_tweet_datetime"}), None, "per-author statistics (no posts)"),
)

CSV_LAYOUT_HELP = (
    "generic (account_id, action, post_id, time, ...), CooRTweet (object_id, account_id, content_id, timestamp_share), "
    "CooRTweet objects (account_id, post_id, url_id, hashtag_id, domain_id, phash_id, timestamp), "
    "coordination-network-toolkit (message_id, user_id, username, repost_id, reply_id, message, timestamp, urls), "
    "IO archive tweets (tweetid, userid, tweet_time, ...) or users (userid, user_screen_name, account_creation_date, ...), "
    "FiveThirtyEight IRA tweets (author_id, content, publish_date, post_type, ...), status (account_id, status, checked_at)"
)


def match_layout(columns: list[str], fmt: str = "auto") -> Layout | None:
    """The layout whose required columns are all present (header names compared case-insensitively)."""
    names = {c.strip().lower() for c in columns}
    for layout in LAYOUTS:
        if layout.required <= names and (fmt == "auto" or fmt == layout.fmt):
            return layout
    return None
