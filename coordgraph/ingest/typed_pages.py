"""Decoding twarc2 raw response pages into typed structures that hold only the fields the graph model uses.

A raw API page carries far more than coordgraph stores (metrics of every tweet, context annotations, edit
history, geo, withheld notices ...). ``msgspec`` decodes a page against the declarations below: unknown keys are
skipped without building Python objects for them, ids stay exact (a numeric id wider than 64 bits is an ``int``,
never a float), and every value is checked against its declared type while it is decoded.

The result is an ordinary ``dict`` with the same keys and values a full decode would give for the fields
declared, so the shared record builders of :mod:`.twarc2` read it unchanged. Whatever does not fit the
declarations (an id that is an object, a metric that is text, a page that is also a v1.1 object ...) raises
:class:`msgspec.ValidationError`, and the caller decodes that line fully and reads it the general way: the
records and rejects are the same as without this module, only faster to get.
"""

from __future__ import annotations

from typing import Optional, TypedDict, Union

import msgspec

Id = Union[str, int]


class _Hashtag(TypedDict, total=False):
    tag: Optional[str]


class _Url(TypedDict, total=False):
    url: Optional[str]
    expanded_url: Optional[str]
    unwound_url: Optional[str]


class _Mention(TypedDict, total=False):
    id: Optional[Id]
    username: Optional[str]


class _Entities(TypedDict, total=False):
    hashtags: Optional[list[_Hashtag]]
    urls: Optional[list[_Url]]
    mentions: Optional[list[_Mention]]


class _Reference(TypedDict, total=False):
    type: Optional[str]
    id: Optional[Id]


class _NoteTweet(TypedDict, total=False):
    text: Optional[str]


class _Attachments(TypedDict, total=False):
    media_keys: Optional[list[Id]]


class _Tweet(TypedDict, total=False):
    id: Optional[Id]
    author_id: Optional[Id]
    created_at: Optional[str]
    text: Optional[str]
    note_tweet: Optional[_NoteTweet]
    lang: Optional[str]
    source: Optional[str]
    conversation_id: Optional[Id]
    in_reply_to_user_id: Optional[Id]
    referenced_tweets: Optional[list[_Reference]]
    entities: Optional[_Entities]
    attachments: Optional[_Attachments]


class _Metrics(TypedDict, total=False):
    followers_count: Optional[int]
    following_count: Optional[int]
    tweet_count: Optional[int]


class _User(TypedDict, total=False):
    id: Optional[Id]
    username: Optional[str]
    name: Optional[str]
    created_at: Optional[str]
    description: Optional[str]
    location: Optional[str]
    verified: Optional[bool]
    profile_image_url: Optional[str]
    public_metrics: Optional[_Metrics]


class _Includes(TypedDict, total=False):
    users: Optional[list[_User]]
    tweets: Optional[list[_Tweet]]


class _Twarc(TypedDict, total=False):
    retrieved_at: Optional[str]


# keys that make the general reader treat the object as something else (a v1.1 tweet or search response, a
# stream message, a flat v2 tweet): when one is present the line is read the general way
_DIVERTING = ("id", "id_str", "user", "statuses", "delete", "limit", "scrub_geo", "status_withheld", "user_withheld",
              "disconnect", "warning", "friends", "event")
_PAGE_FIELDS: dict = {
    "data": list[_Tweet],
    "includes": Optional[_Includes],
    "__twarc": Optional[_Twarc],
    "meta": msgspec.Raw,
    "errors": msgspec.Raw,
    **{key: msgspec.Raw for key in _DIVERTING},
}
# functional form: a class body would mangle the name ``__twarc``
_Page = TypedDict("_Page", _PAGE_FIELDS, total=False)
_decoder = msgspec.json.Decoder(_Page)

ENABLED = True  # benchmarks switch it off to time the general decoding on the same pages
DecodeError = msgspec.DecodeError
ValidationError = msgspec.ValidationError


def decode_page(raw_line: bytes) -> dict | None:
    """The line as a page of tweets with only the used fields, or None when it is not a plain page of tweets
    (read it the general way then). Raises ``msgspec.DecodeError`` for malformed JSON and
    ``msgspec.ValidationError`` for a value of an unexpected type."""
    if not ENABLED:
        return None
    page = _decoder.decode(raw_line)
    if "data" not in page or any(key in page for key in _DIVERTING):
        return None
    data = page["data"]
    if not data or ("text" not in data[0] and "author_id" not in data[0]):
        return None  # an empty or non-tweet page: the general reader names what it is from all its keys
    return page


# The bulk path's fast route (:mod:`.page_facts`) reads tweets and profiles as structs: the same fields and
# types as above, decoded into objects whose attributes are read directly (no dict per object). A key that is
# absent and a key that is null are both None here, as ``dict.get`` gives them above.
class _HashtagS(msgspec.Struct, gc=False):
    tag: Optional[str] = None


class _UrlS(msgspec.Struct, gc=False):
    url: Optional[str] = None
    expanded_url: Optional[str] = None
    unwound_url: Optional[str] = None


class _MentionS(msgspec.Struct, gc=False):
    id: Optional[Id] = None
    username: Optional[str] = None


class _EntitiesS(msgspec.Struct, gc=False):
    hashtags: Optional[list[_HashtagS]] = None
    urls: Optional[list[_UrlS]] = None
    mentions: Optional[list[_MentionS]] = None


class _ReferenceS(msgspec.Struct, gc=False):
    type: Optional[str] = None
    id: Optional[Id] = None


class _NoteTweetS(msgspec.Struct, gc=False):
    text: Optional[str] = None


class _AttachmentsS(msgspec.Struct, gc=False):
    media_keys: Optional[list[Id]] = None


class TweetStruct(msgspec.Struct, gc=False):
    """A tweet of a page with only the fields the model uses (absent or null: None)."""

    id: Optional[Id] = None
    author_id: Optional[Id] = None
    created_at: Optional[str] = None
    text: Optional[str] = None
    note_tweet: Optional[_NoteTweetS] = None
    lang: Optional[str] = None
    source: Optional[str] = None
    conversation_id: Optional[Id] = None
    in_reply_to_user_id: Optional[Id] = None
    referenced_tweets: Optional[list[_ReferenceS]] = None
    entities: Optional[_EntitiesS] = None
    attachments: Optional[_AttachmentsS] = None


class _MetricsS(msgspec.Struct, frozen=True, gc=False):
    followers_count: Optional[int] = None
    following_count: Optional[int] = None
    tweet_count: Optional[int] = None


class UserStruct(msgspec.Struct, frozen=True, gc=False):
    """A profile in ``includes.users`` with only the fields the model uses (absent or null: None); hashable, as
    the same profile recurs on many pages."""

    id: Optional[Id] = None
    username: Optional[str] = None
    name: Optional[str] = None
    created_at: Optional[str] = None
    description: Optional[str] = None
    location: Optional[str] = None
    verified: Optional[bool] = None
    profile_image_url: Optional[str] = None
    public_metrics: Optional[_MetricsS] = None


class _IncludesS(msgspec.Struct, gc=False):
    users: Optional[list[UserStruct]] = None
    tweets: Optional[list[TweetStruct]] = None


_STRUCT_PAGE_FIELDS: dict = {**_PAGE_FIELDS, "data": list[TweetStruct], "includes": Optional[_IncludesS]}
_StructPage = TypedDict("_StructPage", _STRUCT_PAGE_FIELDS, total=False)
_struct_decoder = msgspec.json.Decoder(_StructPage)


def decode_struct_page(raw_line: bytes) -> dict | None:
    """As :func:`decode_page`, with the tweets and profiles as :class:`TweetStruct` and :class:`UserStruct`: the
    same lines are taken, the same values are type-checked (the same exceptions)."""
    if not ENABLED:
        return None
    page = _struct_decoder.decode(raw_line)
    if "data" not in page or any(key in page for key in _DIVERTING):
        return None
    data = page["data"]
    # a first tweet with null text and author_id goes the general way here, while decode_page gives it to the fast
    # route, which finds no author_id and sends it the general way too
    if not data or (data[0].text is None and data[0].author_id is None):
        return None
    return page
