"""The merged facts of one chunk of twarc2 pages, built straight from the typed pages (the bulk path's fast route).

The general route builds a :class:`~.records.Bundle` of record dicts per page, then folds a chunk's bundles with
:func:`~.records.merge_bundles`, whose lists the bulk path spools. Those intermediate objects cost several times
the decoding. :class:`ChunkFacts` applies the same rules (the latest profile per account, full posts over stubs,
the first stub kept unless a later one names its author, each relationship once, every account and post a
relationship needs) directly to plain dicts keyed by id, from pages whose tweets and profiles :mod:`.typed_pages`
decodes into structs.

It takes only pages whose every value is regular: a page the general reader would reject any part of raises
:class:`Irregular`, having put part of its facts into the chunk's dicts already, so the chunk is no longer
:attr:`~ChunkFacts.usable` and the caller reads the whole chunk the general way. So it does for a chunk with a
retweet id given two different retweets (flagged: :attr:`ChunkFacts.clash`), which the general way rejects where
the online load does.
"""

from __future__ import annotations

from functools import lru_cache

from .twarc2 import PLATFORM, _cached_parse_ms, _snapshot_ms
from .typed_pages import TweetStruct, UserStruct
from .values import BadValue, TimeBounds, domain_of, id_text, snowflake_ms, text_hash

# a post referenced by many others comes again on every page that references it: its text is hashed once
_text_hash = lru_cache(maxsize=65_536)(text_hash)


class Irregular(Exception):
    """A page the fast route does not take (the general reader rejects some of it, or reads it differently)."""


class ChunkFacts:
    """What :func:`~.records.merge_bundles` makes of a chunk's pages, as dicts keyed by id.

    A page's facts go straight into the chunk's dicts as they are read (no per-page lists to merge). So when a
    page turns out irregular halfway, the chunk holds part of it: :attr:`usable` is then False, and the caller
    reads the whole chunk the general way, as it does for a retweet id clash.
    """

    __slots__ = ("accounts", "refs", "tweets", "stubs", "retweets", "replies", "quotes", "tags", "links", "mentions",
                 "media", "events", "pages", "clash", "usable", "_first", "_known", "_seen", "_low", "_high")

    def __init__(self, known: dict[str, tuple[str, str]]):
        self.accounts: dict[str, tuple[int, dict]] = {}          # id -> (profile_ms, props)
        self.refs: dict[str, tuple[str | None, str | None]] = {}  # id -> (platform, username)
        self.tweets: dict[str, tuple[str, dict]] = {}             # id -> (author id, props)
        self.stubs: dict[str, tuple[int | None, str | None]] = {}  # id -> (created_ms, author id)
        self.retweets: dict[tuple[str, str, str], int] = {}       # (id, account id, post id) -> at_ms
        self.replies: set = set()
        self.quotes: set = set()
        self.tags: set = set()
        self.links: set = set()
        self.mentions: set = set()
        self.media: set = set()
        self.events = 0
        self.pages = 0
        self.clash = False
        self.usable = True
        self._first: dict[str, tuple[str, str]] = {}
        self._known = known
        # tweet id -> the struct last read for it, when reading it again could add nothing (see _tweet)
        self._seen: dict[str, TweetStruct] = {}
        self._low = self._high = 0

    def add_page(self, page: dict, bounds: TimeBounds) -> int:
        """Add one typed page (see :func:`.typed_pages.decode_struct_page`); its events. Must run inside
        :func:`~.values.plausible_times` with the input's ``bounds``. Raises :class:`Irregular` when the general
        reader would reject any of the page; the chunk's facts are then no longer :attr:`usable`."""
        self._low, self._high = bounds.earliest_ms, bounds.latest_ms
        try:
            events = self._page(page)
        except (BadValue, AttributeError, TypeError, KeyError, Irregular) as exc:
            self.usable = False
            raise Irregular(str(exc)) from None
        self.pages += 1
        self.events += events
        return events

    def _page(self, page: dict) -> int:
        # the facts in the order the general reader adds them (includes first, then data)
        data = page["data"]
        includes = page.get("includes")
        snapshot = _snapshot_ms(page)
        if snapshot is None:
            snapshot = max((snowflake_ms(t.id) or 0) for t in data)
        users_by_name: dict[str, str] = {}
        tweet = self._tweet
        if includes is not None:
            users = includes.users
            if users:
                self._users(users, snapshot, users_by_name)
            for t in includes.tweets or ():
                tweet(t, users_by_name)
        for t in data:
            tweet(t, users_by_name)
        return len(data)

    def _users(self, users, snapshot: int, users_by_name: dict[str, str]) -> None:
        accounts, low, high = self.accounts, self._low, self._high
        for u in users:
            known = _profiles.get(u)
            if known is None:
                known = _profile(u)
                if len(_profiles) >= _PROFILES_KEPT:
                    _profiles.clear()
                _profiles[u] = known
            uid, props, created_ms, username_lc = known
            if created_ms is not None and not low <= created_ms <= high:
                raise Irregular("implausible created_at")
            old = accounts.get(uid)
            if old is None or snapshot >= old[0]:
                accounts[uid] = (snapshot, props)
            if username_lc:
                users_by_name[username_lc] = uid

    def _tweet(self, t: TweetStruct, users_by_name: dict[str, str]) -> None:
        tid = t.id
        if not tid:
            raise Irregular("missing tweet id")
        if type(tid) is not str or not tid.strip():  # id_text's own test for text, without the call
            tid = id_text(tid, "id")
        # A post included on many pages (the one they retweet or reply to) comes again unchanged: when the last
        # struct read for its id is equal, every fact it gives is already here (the rules below keep a fact once
        # it is in), unless a mention names its account by handle only (looked up in each page's own profiles).
        seen = self._seen
        if seen.get(tid) == t:
            return
        author = t.author_id
        if not author:
            raise Irregular("missing author_id")
        if type(author) is not str or not author.strip():
            author = id_text(author, "author_id")
        created = t.created_at
        if type(created) is not str:
            raise Irregular("created_at is not text")
        created_ms = _cached_parse_ms(created)  # the parse of twarc2's readers (a time is text on a typed page)
        if not self._low <= created_ms <= self._high:
            raise Irregular("implausible created_at")
        refs = t.referenced_tweets or ()
        stubs = self.stubs
        for r in refs:
            if r.type == "retweeted":
                target = r.id
                if type(target) is not str or not target.strip():
                    target = id_text(target, "referenced_tweets.id")
                edge = (author, target)
                if (self._known.get(tid) or self._first.setdefault(tid, edge)) != edge:
                    self.clash = True
                self.retweets[(tid, author, target)] = created_ms
                if target not in stubs:
                    stubs[target] = (snowflake_ms(target), None)
                seen[tid] = t
                return
        kind = "original"
        for r in refs:
            rid = r.id
            if not rid:
                raise Irregular("referenced tweet without id")
            rid = id_text(rid, "referenced_tweets.id")
            ref_type = r.type
            if ref_type == "replied_to":
                kind = "reply"
                self.replies.add((tid, rid))
                stub_author = t.in_reply_to_user_id
                _stub(stubs, rid, id_text(stub_author, "in_reply_to_user_id") if stub_author else None)
            elif ref_type == "quoted":
                if kind == "original":
                    kind = "quote"
                self.quotes.add((tid, rid))
                _stub(stubs, rid, None)
        note = t.note_tweet
        text = (note.text if note is not None else None) or t.text
        props = {"created_ms": created_ms}
        if text is not None:
            props["text"] = text
            props["text_hash"] = _text_hash(text)
        if t.lang is not None:
            props["lang"] = t.lang
        if t.source is not None:
            props["source"] = t.source
        props["kind"] = kind
        props["author_id"] = author
        conversation = t.conversation_id
        if conversation:
            props["conversation_id"] = id_text(conversation, "conversation_id")
        by_handle = False
        entities = t.entities
        if entities is not None:
            for h in entities.hashtags or ():
                tag = h.tag
                if tag:
                    self.tags.add((tid, tag.lower()))
            for u in entities.urls or ():
                url = u.unwound_url or u.expanded_url or u.url
                if url:
                    self.links.add((tid, url, domain_of(url)))
            mentions = entities.mentions
            if mentions:
                refs_of, added = self.refs, self.mentions
                for m in mentions:
                    mid = m.id
                    if not mid:
                        by_handle = True
                        mid = users_by_name.get((m.username or "").lower())
                        if not mid:
                            continue
                    mid = id_text(mid, "entities.mentions.id")
                    added.add((tid, mid))
                    username = m.username
                    old = refs_of.get(mid)
                    if old is None or (username and not old[1]):
                        refs_of[mid] = (PLATFORM, username)
        attachments = t.attachments
        if attachments is not None:
            for key in attachments.media_keys or ():
                self.media.add((tid, str(key)))
        self.tweets[tid] = (author, props)
        if by_handle:
            seen.pop(tid, None)
        else:
            seen[tid] = t

    def complete(self) -> None:
        """Add the accounts and post stubs the relationships need (as :func:`~.records.merge_bundles` does)."""
        refs, stubs, tweets = self.refs, self.stubs, self.tweets
        bare = (None, None)
        for author, _props in tweets.values():
            refs.setdefault(author, bare)
        for _created, author in stubs.values():
            if author:
                refs.setdefault(author, bare)
        for _rid, account_id, target in self.retweets:
            refs.setdefault(account_id, bare)
            if target not in tweets:
                stubs.setdefault(target, bare)
        for _tid, account_id in self.mentions:
            refs.setdefault(account_id, bare)
        for edges in (self.replies, self.quotes):
            for _src, target in edges:
                if target not in tweets:
                    stubs.setdefault(target, bare)


def _stub(stubs: dict, sid: str, author: str | None) -> None:
    """A post known by reference: the first stub stays, unless a later one names its author."""
    old = stubs.get(sid)
    if old is None:
        stubs[sid] = (snowflake_ms(sid), author)
    elif author and not old[1]:
        created_ms = snowflake_ms(sid)
        stubs[sid] = (created_ms if created_ms is not None else old[0], author)


# A profile comes again on most pages its account is on, mostly unchanged: its id and properties are made once
# per distinct profile (the plausibility of its creation time still checked on every page, against the input's
# bounds). The properties are shared, never changed once made. The cache is emptied when full: at 16,384 profiles
# a reader stays near 90 MB (about 135 MB at 65,536) for no measurable loss of speed on 50,000 accounts.
_PROFILES_KEPT = 16_384
_profiles: dict[UserStruct, tuple[str, dict, int | None, str | None]] = {}


# a profile's optional fields as they become properties, in the order the general reader writes them
_PROFILE_TEXTS = ("username", "name", "description", "location")
_PROFILE_METRICS = (("followers_count", "followers"), ("following_count", "following"), ("tweet_count", "tweet_count"))


def _profile(u: UserStruct) -> tuple[str, dict, int | None, str | None]:
    """(account id, properties, creation ms or None, lower-case username or None) of a profile."""
    uid = u.id
    if not uid:
        raise Irregular("user without id")
    uid = id_text(uid, "id")
    props = {"platform": PLATFORM}
    username = u.username
    for field in _PROFILE_TEXTS:
        value = getattr(u, field)
        if value is not None:
            props[field] = value
    created_ms = None
    created = u.created_at
    if created:
        created_ms = _cached_parse_ms(created)  # as _account_created_ms: parsed once per text, checked each time
        props["created_ms"] = created_ms
    metrics = u.public_metrics
    if metrics is not None:
        for field, prop in _PROFILE_METRICS:
            value = getattr(metrics, field)
            if value is not None:
                props[prop] = value
    verified = u.verified
    if verified is not None:
        props["verified"] = verified
    image = u.profile_image_url
    if image is not None:
        props["profile_image_url"] = image
        if image:
            props["default_profile_image"] = "default_profile_images" in image
    username_lc = None
    if username is not None:
        username_lc = props["username_lc"] = username.lower()
    return uid, props, created_ms, username_lc or None
