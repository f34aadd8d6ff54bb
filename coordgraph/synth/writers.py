"""Writers for the real input formats: twarc2 raw response pages, the Information Operations archive CSVs, and a
status snapshot CSV. Output depends only on the world, so the same seed gives byte-identical files."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import numpy as np

from .finalize import Published, tco
from .population import DEFAULT_IMAGE
from .world import QUOTE, REPLY, RETWEET

EXPANSIONS = ("author_id,in_reply_to_user_id,referenced_tweets.id,referenced_tweets.id.author_id,entities.mentions.username,"
              "attachments.poll_ids,attachments.media_keys,geo.place_id")
TWEET_FIELDS = ("attachments,author_id,context_annotations,conversation_id,created_at,entities,geo,id,in_reply_to_user_id,lang,"
                "public_metrics,text,possibly_sensitive,referenced_tweets,reply_settings,source,withheld")
USER_FIELDS = "created_at,description,entities,id,location,name,pinned_tweet_id,profile_image_url,protected,public_metrics,url,username,verified,withheld"
TWARC_VERSION = "2.12.0"
IO_HASH_BELOW_FOLLOWERS = 5000
_REF_TYPES = {RETWEET: "retweeted", REPLY: "replied_to", QUOTE: "quoted"}

IO_USER_COLUMNS = ("userid", "user_display_name", "user_screen_name", "user_reported_location", "user_profile_description",
                   "user_profile_url", "follower_count", "following_count", "account_creation_date", "account_language")
IO_TWEET_COLUMNS = ("tweetid", "userid", "user_display_name", "user_screen_name", "user_reported_location",
                    "user_profile_description", "user_profile_url", "follower_count", "following_count", "account_creation_date",
                    "account_language", "tweet_language", "tweet_text", "tweet_time", "tweet_client_name", "in_reply_to_userid",
                    "in_reply_to_tweetid", "quoted_tweet_tweetid", "is_retweet", "retweet_userid", "retweet_tweetid", "latitude",
                    "longitude", "quote_count", "reply_count", "like_count", "retweet_count", "hashtags", "urls", "user_mentions",
                    "poll_choices")
STATUS_COLUMNS = ("account_id", "status", "checked_at")


def iso_ms(ms: int) -> str:
    """``2020-06-01T09:15:02.000Z`` like the API (the API reports whole seconds)."""
    return datetime.fromtimestamp(int(ms) // 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def iso_seconds(ms: np.ndarray) -> list[str]:
    """``iso_ms`` for a whole array at once."""
    secs = (np.asarray(ms, dtype=np.int64) // 1000).astype("datetime64[s]")
    return [t + ".000Z" for t in np.datetime_as_string(secs, unit="s").tolist()]


# ``json.dumps`` with its default separators is compositional: an array or object of already-encoded parts is the
# parts joined by ", " (": " between a key and its value). The pages are built from each tweet's and user's encoding,
# made once, so a post quoted on many pages or an account seen on thousands is not encoded again each time.
_encode = json.JSONEncoder(check_circular=False).encode


def _json_array(parts: list[str]) -> str:
    """The encoding of a list whose items' encodings are ``parts``."""
    return "[" + ", ".join(parts) + "]"


# A retweet's own fields, in the order of its tweet object (every other field follows from the retweeted post),
# and the mark left in their places in a retweet template (no text of the generator holds a NUL).
_RETWEET_OWN = ("author_id", "lang", "created_at", "id", "source", "conversation_id")
_HOLE = "\0"


class TweetRenderer:
    """Builds API v2 tweet and user objects, and their JSON encodings (cached)."""

    def __init__(self, pub: Published):
        self.pub = pub
        self.ev = pub.world.events
        self.acc = pub.world.accounts
        self._users: dict[int, str] = {}
        self._tweets: dict[int, str] = {}
        self._photos: dict[str, str] = {}
        self._retweet_templates: dict[int, list[str]] = {}
        self._created = iso_seconds(self.ev.col("ms"))
        self._langs = self.ev.col("lang").tolist()
        self._sources = self.ev.col("source").tolist()
        self._conv = [pub.tweet_ids[c] for c in pub.conversation.tolist()]
        self._rt, self._rp, self._qt, self._lk = (pub.retweets.tolist(), pub.replies.tolist(), pub.quotes.tolist(), pub.likes.tolist())
        self._image_codes = np.random.default_rng(pub.world.params.seed + 1).integers(10**17, 10**18, self.acc.size)

    def tweet_json(self, i: int) -> str:
        """The encoded tweet object of event ``i`` (kept for originals, replies and quotes, often referenced again)."""
        cached = self._tweets.get(i)
        if cached is not None:
            return cached
        if self.pub.kinds[i] == RETWEET:
            return self._retweet_json(i)
        encoded = self._tweets[i] = _encode(self.tweet(i))
        return encoded

    def _retweet_json(self, i: int) -> str:
        """A retweet differs from the other retweets of its post only in its own fields (_RETWEET_OWN): the rest of
        the encoding is made once per retweeted post, with the own fields' places left open."""
        ref = self.pub.refs[i]
        pieces = self._retweet_templates.get(ref)
        obj = None
        if pieces is None:
            obj = self.tweet(i)
            template = _encode({k: _HOLE + k if k in _RETWEET_OWN else v for k, v in obj.items()})
            pieces = self._retweet_templates[ref] = []
            for key in obj:
                if key in _RETWEET_OWN:
                    before, template = template.split(_encode(_HOLE + key), 1)
                    pieces.append(before)
            pieces.append(template)
        pub = self.pub
        own = (pub.account_ids[pub.authors[i]], self._langs[i], self._created[i], pub.tweet_ids[i], self._sources[i], self._conv[i])
        parts = [pieces[0]]
        for value, piece in zip(own, pieces[1:]):
            parts.append(_encode(value))
            parts.append(piece)
        encoded = "".join(parts)
        if obj is not None and encoded != _encode(obj):
            raise AssertionError(f"retweet {i}: the template does not give the tweet's encoding")
        return encoded

    def tweet(self, i: int) -> dict:
        """The API v2 tweet object of event ``i``."""
        pub = self.pub
        text, entities = pub.text(i)
        kind = pub.kinds[i]
        ref = pub.refs[i]
        obj: dict = {"possibly_sensitive": False, "reply_settings": "everyone", "text": text, "author_id": pub.account_ids[pub.authors[i]]}
        if pub.media_keys[i]:
            obj["attachments"] = {"media_keys": [pub.media_keys[i]]}
        if kind == REPLY:
            obj["in_reply_to_user_id"] = pub.account_ids[pub.authors[ref]]
        if entities:
            obj["entities"] = {k: entities[k] for k in ("hashtags", "urls", "mentions") if k in entities}
        obj["lang"] = self._langs[i]
        obj["created_at"] = self._created[i]
        if kind == RETWEET:
            metrics = {"retweet_count": self._rt[ref], "reply_count": 0, "like_count": 0, "quote_count": 0}
        else:
            metrics = {"retweet_count": self._rt[i], "reply_count": self._rp[i], "like_count": self._lk[i], "quote_count": self._qt[i]}
        obj["public_metrics"] = metrics
        obj["id"] = pub.tweet_ids[i]
        obj["source"] = self._sources[i]
        obj["conversation_id"] = self._conv[i]
        if kind != 0:
            obj["referenced_tweets"] = [{"type": _REF_TYPES[kind], "id": pub.tweet_ids[ref]}]
        return obj

    def user_json(self, row: int) -> str:
        """The encoded user object of account ``row`` (kept: accounts appear on many pages)."""
        cached = self._users.get(row)
        if cached is None:
            cached = self._users[row] = _encode(self.user(row))
        return cached

    def photo_json(self, media_key: str) -> str:
        """The encoded ``includes.media`` object of a photo."""
        cached = self._photos.get(media_key)
        if cached is None:
            cached = self._photos[media_key] = _encode(photo(media_key))
        return cached

    def user(self, row: int) -> dict:
        """The API v2 user object of account ``row``."""
        acc, pub = self.acc, self.pub
        obj: dict = {"name": acc.col("name")[row], "protected": False}
        if acc.col("location")[row]:
            obj["location"] = acc.col("location")[row]
        obj["id"] = str(pub.account_id[row])
        obj["created_at"] = iso_ms(acc.col("created_ms")[row])
        obj["description"] = acc.col("description")[row]
        obj["public_metrics"] = {"followers_count": int(acc.col("followers")[row]), "following_count": int(acc.col("following")[row]),
                                 "tweet_count": int(pub.tweet_count[row]), "listed_count": int(acc.col("followers")[row] // 400)}
        url = acc.col("url")[row]
        if url:
            short = tco(int(pub.account_id[row]), 7)
            obj["url"] = short
            obj["entities"] = {"url": {"urls": [{"start": 0, "end": len(short), "url": short, "expanded_url": url, "display_url": url.split("//", 1)[1]}]}}
        else:
            obj["url"] = ""
        obj["verified"] = bool(acc.col("verified")[row])
        obj["username"] = acc.col("username")[row]
        if acc.col("default_image")[row]:
            obj["profile_image_url"] = DEFAULT_IMAGE
        else:
            code = int(self._image_codes[row])
            obj["profile_image_url"] = f"https://pbs.twimg.com/profile_images/{code}/{tco(code, 3)[-8:]}_normal.jpg"
        return obj


def write_twarc_pages(pub: Published, out_dir: Path, query: str) -> list[Path]:
    """One file per calendar month of raw search pages (``{data, includes, meta, __twarc}``, newest first)."""
    world = pub.world
    ev = world.events
    renderer = TweetRenderer(pub)
    ms = ev.col("ms")
    order = np.lexsort((-pub.tweet_id, -ms))  # newest first, like the search endpoint
    months = np.datetime_as_string((ms[order] // 1000).astype("datetime64[s]").astype("datetime64[M]"), unit="M")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    page_size = world.params.page_size
    retrieved = world.end_ms + 2 * 86_400_000
    page_no = 0
    for month in sorted(set(months.tolist())):
        rows = order[months == month]
        month_start = datetime.strptime(month, "%Y-%m").replace(tzinfo=timezone.utc)
        next_month = datetime(month_start.year + (month_start.month // 12), month_start.month % 12 + 1, 1, tzinfo=timezone.utc)
        base_url = ("https://api.twitter.com/2/tweets/search/all?expansions=" + quote(EXPANSIONS, safe="") + "&user.fields=" +
                    quote(USER_FIELDS, safe="") + "&tweet.fields=" + quote(TWEET_FIELDS, safe="") + "&query=" + quote(query, safe="") +
                    "&start_time=" + quote(month_start.strftime("%Y-%m-%dT%H:%M:%SZ"), safe="") + "&end_time=" +
                    quote(next_month.strftime("%Y-%m-%dT%H:%M:%SZ"), safe="") + "&max_results=" + str(page_size))
        path = out_dir / f"search_{month}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            n_pages = (len(rows) + page_size - 1) // page_size
            token = None
            for k in range(n_pages):
                chunk = rows[k * page_size:(k + 1) * page_size].tolist()
                data, includes = _page(renderer, pub, chunk)
                next_token = _token(world.params.seed, month, k + 1) if k + 1 < n_pages else None
                meta = {"newest_id": str(pub.tweet_id[chunk[0]]), "oldest_id": str(pub.tweet_id[chunk[-1]]), "result_count": len(chunk)}
                if next_token:
                    meta["next_token"] = next_token
                twarc = {"url": base_url + (f"&next_token={token}" if token else ""), "version": TWARC_VERSION,
                         "retrieved_at": datetime.fromtimestamp(retrieved // 1000 + page_no, tz=timezone.utc).isoformat()}
                # json.dumps({"data": ..., "includes": ..., "meta": ..., "__twarc": ...}) from the encoded parts
                fh.write(f'{{"data": {data}, "includes": {includes}, "meta": {_encode(meta)}, "__twarc": {_encode(twarc)}}}\n')
                token = next_token
                page_no += 1
        paths.append(path)
    return paths


def _token(seed: int, month: str, k: int) -> str:
    """A pagination token shaped like the API's (45 base-36 characters)."""
    x = int.from_bytes(hashlib.sha256(f"{seed}/{month}/{k}".encode()).digest(), "big")
    chars = []
    for _ in range(29):
        x, r = divmod(x, 36)
        chars.append("0123456789abcdefghijklmnopqrstuvwxyz"[r])
    return "b26v89c19zqg8o3f" + "".join(chars)


def _page(renderer: TweetRenderer, pub: Published, rows: list[int]) -> tuple[str, str]:
    """A page's ``data`` and ``includes``, encoded."""
    data = _json_array([renderer.tweet_json(i) for i in rows])
    user_rows: list[int] = []
    seen_users: set[int] = set()
    ref_rows: list[int] = []
    seen_refs: set[int] = set()

    def add_user(row: int) -> None:
        if row not in seen_users:
            seen_users.add(row)
            user_rows.append(row)

    for i in rows:
        add_user(pub.authors[i])
    for i in rows:
        ref = pub.refs[i]
        if ref >= 0:
            add_user(pub.authors[ref])
            if ref not in seen_refs:
                seen_refs.add(ref)
                ref_rows.append(ref)
        for m in pub.mentions[i]:
            add_user(int(m))
    includes = '{"users": ' + _json_array([renderer.user_json(r) for r in user_rows])
    if ref_rows:
        includes += ', "tweets": ' + _json_array([renderer.tweet_json(r) for r in ref_rows])
    media = [renderer.photo_json(pub.media_keys[r]) for r in dict.fromkeys([*rows, *ref_rows]) if pub.media_keys[r]]
    if media:
        includes += ', "media": ' + _json_array(media)
    return data, includes + "}"


_PHOTO_SIZES = ((1200, 675), (1080, 1080), (1024, 768), (900, 1200), (2048, 1536))


def photo(media_key: str) -> dict:
    """The ``includes.media`` object of a photo."""
    number = int(media_key.split("_", 1)[1])
    width, height = _PHOTO_SIZES[number % len(_PHOTO_SIZES)]
    return {"media_key": media_key, "width": width, "height": height,
            "url": f"https://pbs.twimg.com/media/{tco(number, 5)[-10:]}{tco(number, 6)[-5:]}.jpg", "type": "photo"}


def _io_hash(salt: str, value: int) -> str:
    return base64.b64encode(hashlib.sha256(f"{salt}:{value}".encode()).digest()).decode()


def io_user_ids(pub: Published) -> dict[int, str]:
    """The ``userid`` each account gets in the IO archive: hashed under 5,000 followers when ``io_hashed``."""
    acc = pub.world.accounts
    salt = f"coordgraph-io-{pub.world.params.seed}"
    hashed = pub.world.params.io_hashed
    out = {}
    for row in range(acc.size):
        if hashed and acc.col("followers")[row] < IO_HASH_BELOW_FOLLOWERS:
            out[row] = _io_hash(salt, int(pub.account_id[row]))
        else:
            out[row] = str(pub.account_id[row])
    return out


def write_io_archive(pub: Published, members: np.ndarray, out_dir: Path, prefix: str) -> tuple[Path, Path]:
    """The takedown release: the network's accounts and all their tweets, in the archive's column layout."""
    world = pub.world
    acc, ev = world.accounts, world.events
    ids = io_user_ids(pub)
    out_dir.mkdir(parents=True, exist_ok=True)
    users_path = out_dir / f"{prefix}_users_csv_hashed.csv"
    tweets_path = out_dir / f"{prefix}_tweets_csv_hashed.csv"

    profiles: dict[int, list] = {}

    def profile(row: int) -> list:
        cached = profiles.get(row)
        if cached is None:
            cached = profiles[row] = _io_profile(row)
        return cached

    def _io_profile(row: int) -> list:
        hashed = ids[row] != str(pub.account_id[row])
        return [ids[row], ids[row] if hashed else acc.col("name")[row], ids[row] if hashed else acc.col("username")[row],
                acc.col("location")[row], acc.col("description")[row], acc.col("url")[row], int(acc.col("followers")[row]),
                int(acc.col("following")[row]), datetime.fromtimestamp(int(acc.col("created_ms")[row]) // 1000, tz=timezone.utc).strftime("%Y-%m-%d"),
                acc.col("lang")[row]]

    with users_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(IO_USER_COLUMNS)
        for row in sorted(members.tolist(), key=lambda r: ids[r]):
            writer.writerow(profile(row))

    authors = ev.col("author")
    rows = np.flatnonzero(np.isin(authors, members))
    rows = rows[np.argsort(pub.tweet_id[rows], kind="stable")]
    with tweets_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(IO_TWEET_COLUMNS)
        kinds, refs, ms, langs, sources = (ev.col(c)[rows].tolist() for c in ("kind", "ref", "ms", "lang", "source"))
        hashtags, all_mentions = ev.col("hashtags"), ev.col("mentions")
        for n, i in enumerate(rows.tolist()):
            kind, ref = kinds[n], refs[n]
            text, entities = pub.text(i)
            ref_author = int(authors[ref]) if ref >= 0 else -1
            mentions = [ids[int(m)] for m in all_mentions[i]]
            if kind == REPLY:
                mentions.insert(0, ids[ref_author])
            writer.writerow([str(pub.tweet_id[i])] + profile(int(authors[i])) + [
                langs[n], text, datetime.fromtimestamp(ms[n] // 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M"),
                sources[n],
                ids[ref_author] if kind == REPLY else "", str(pub.tweet_id[ref]) if kind == REPLY else "",
                str(pub.tweet_id[ref]) if kind == QUOTE else "",
                "True" if kind == RETWEET else "False",
                ids[ref_author] if kind == RETWEET else "", str(pub.tweet_id[ref]) if kind == RETWEET else "",
                "absent", "absent",
                f"{float(pub.quotes[i])}", f"{float(pub.replies[i])}", f"{float(pub.likes[i])}", f"{float(pub.retweets[i])}",
                str([h["tag"] for h in entities.get("hashtags", [])]) if kind != RETWEET else str(list(hashtags[ref])),
                str([u["expanded_url"] for u in entities.get("urls", [])]),
                str(mentions) if mentions else "[]", "",
            ])
    return users_path, tweets_path


def write_status(pub: Published, statuses: dict[int, str], checked_ms: np.ndarray, path: Path) -> Path:
    """``account_id,status,checked_at`` for every account in the data, as checked after the period."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = np.flatnonzero(pub.present)
    rows = rows[np.argsort(pub.account_id[rows], kind="stable")]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(STATUS_COLUMNS)
        for row in rows:
            row = int(row)
            writer.writerow([str(pub.account_id[row]), statuses.get(row, "active"),
                             datetime.fromtimestamp(int(checked_ms[row]) // 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")])
    return path
