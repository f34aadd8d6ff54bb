"""Small value conversions shared by every reader: times, snowflake ids, text hashes, URL domains, lists.

Also the rules every reader applies to what it reads, whatever parses it: ids are exact text (:func:`id_text`),
and times must be plausible for the load (:class:`TimeBounds`, in force inside :func:`plausible_times`).
"""

from __future__ import annotations

import ast
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

SNOWFLAKE_EPOCH_MS = 1288834974657
V1_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"

_URL_RE = re.compile(r"https?://\S+")
_SPACE_RE = re.compile(r"\s+")
_TAG_RE = re.compile(r"<[^>]*>")


class BadValue(ValueError):
    """A field value that cannot be used; ``field`` names it for the rejects file."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


# The earliest time a post, engagement or account can have: Twitter's first post (2006-03-21) for Twitter's
# formats; for other data a documented plausible range starting 1990-01-01 (before any social platform), which
# `ingest --earliest` overrides. The latest is the load's own time plus a day (clock skew, time zones).
TWITTER_FIRST_POST = datetime(2006, 3, 21, tzinfo=timezone.utc)
GENERIC_EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
TWITTER_FORMATS = ("twarc2", "v1", "io-archive", "csv:ira")  # a recognised format, or its family before the ":"
LATEST_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class TimeBounds:
    """The range of plausible times for one input, and how to say why a time outside it is impossible."""

    earliest_ms: int
    latest_ms: int
    earliest_why: str
    latest_why: str

    @classmethod
    def for_format(cls, fmt: str, load_time: datetime, earliest: datetime | None = None,
                   latest: datetime | None = None) -> "TimeBounds":
        """Bounds for an input of format ``fmt`` loaded at ``load_time``; ``earliest``/``latest`` override them."""
        if earliest is not None:
            low, low_why = earliest, f"before {_day(earliest)} (the --earliest bound)"
        elif fmt in TWITTER_FORMATS or fmt.split(":")[0] in TWITTER_FORMATS:
            low, low_why = TWITTER_FIRST_POST, f"before Twitter's first post ({_day(TWITTER_FIRST_POST)})"
        else:
            low, low_why = GENERIC_EARLIEST, f"before {_day(GENERIC_EARLIEST)}, the earliest plausible time (see --earliest)"
        if latest is not None:
            high, high_why = latest, f"after {_day(latest)} (the --latest bound)"
        else:
            high = load_time + LATEST_SLACK
            high_why = f"after the time of this load ({load_time.strftime('%Y-%m-%d %H:%M')} UTC) plus a day"
        return cls(_ms(low), _ms(high), low_why, high_why)

    def check(self, ms: int, field: str, value) -> int:
        """``ms`` when it lies in the bounds, else :class:`BadValue` naming the value and the bound."""
        if ms < self.earliest_ms:
            raise BadValue(field, f"time {str(value)[:40]!r} is {self.earliest_why}")
        if ms > self.latest_ms:
            raise BadValue(field, f"time {str(value)[:40]!r} is {self.latest_why}")
        return ms


_BOUNDS: ContextVar[TimeBounds | None] = ContextVar("coordgraph_time_bounds", default=None)


@contextmanager
def plausible_times(bounds: TimeBounds | None) -> Iterator[None]:
    """Inside this block, :func:`parse_time_ms` and :func:`parse_date_ms` reject times outside ``bounds``."""
    token = _BOUNDS.set(bounds)
    try:
        yield
    finally:
        _BOUNDS.reset(token)


def check_plausible(ms: int, field: str, value) -> int:
    """``ms`` checked against the bounds in force (see :func:`plausible_times`); unchanged outside a load."""
    bounds = _BOUNDS.get()
    return ms if bounds is None else bounds.check(ms, field, value)


def parse_day(text: str, option: str) -> datetime:
    """A ``YYYY-MM-DD`` (or ISO 8601 time) given as an option, as an aware UTC datetime."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadValue(option, f"{text!r} is not a date (YYYY-MM-DD)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _ms(moment: datetime) -> int:
    return int((moment - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds() * 1000)


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def id_text(value, field: str) -> str:
    """An id exactly as given: a string, or a whole JSON number as its digits.

    Whole numbers of any width keep their digits (the JSON readers decode them exactly); a number that arrives
    as a float (a fraction, an exponent, or a reader that cannot keep it exact) no longer has the id's digits and
    is rejected; so are objects, lists and booleans, which are not ids at all.
    """
    if isinstance(value, str):
        if not value.strip():
            raise BadValue(field, "missing id")
        return value
    if isinstance(value, bool) or isinstance(value, (dict, list, tuple)):
        raise BadValue(field, f"an id must be a single value (text or a whole number), not {type(value).__name__} {str(value)[:60]}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
            raise BadValue(field, f"id {value!r} is not a whole number")
        raise BadValue(field, f"id {value!r} is a floating-point number, whose digits are not exact; give ids as strings")
    if value is None:
        raise BadValue(field, "missing id")
    raise BadValue(field, f"an id must be a single value (text or a whole number), not {type(value).__name__}")


def parse_time_ms(value, field: str = "time") -> int:
    """Epoch milliseconds from ISO 8601, a v1.1 ``created_at``, a date, or epoch seconds/milliseconds.

    Numbers below 10^11 are read as seconds (that is before 1973 in milliseconds), larger ones as milliseconds.
    During a load the time must also be plausible (see :func:`plausible_times`).
    """
    return check_plausible(parse_time_ms_unchecked(value, field), field, value)


def parse_time_ms_unchecked(value, field: str = "time") -> int:
    """:func:`parse_time_ms` without the plausibility check (for caches, which check each use)."""
    if value is None or value == "":
        raise BadValue(field, "missing time")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _epoch_number_ms(float(value), field)
    text = str(value).strip()
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        try:  # the common case, ISO 8601 (v2, IO archive, generic CSV): no detour through float()
            parsed = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
            return int(parsed.timestamp() * 1000)
    try:
        return _epoch_number_ms(float(text), field)
    except ValueError:
        pass
    try:
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.strptime(text, V1_TIME_FORMAT)
        except ValueError:
            raise BadValue(field, f"unparseable time {str(value)[:80]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return int(parsed.timestamp() * 1000)


def _epoch_number_ms(number: float, field: str) -> int:
    if number != number or number in (float("inf"), float("-inf")):
        raise BadValue(field, "not a finite number")
    ms = number * 1000 if abs(number) < 1e11 else number
    if not -62135596800000 <= ms <= 253402300799000:
        raise BadValue(field, f"time {number!r} is out of range")
    return int(round(ms))


def parse_date_ms(value, field: str) -> int:
    """Epoch milliseconds of midnight UTC of a ``YYYY-MM-DD`` date (or any time :func:`parse_time_ms` reads)."""
    text = str(value).strip()
    try:
        d = date.fromisoformat(text)
    except ValueError:
        return parse_time_ms(text, field)
    return check_plausible(int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp() * 1000), field, value)


def snowflake_ms(tweet_id) -> int | None:
    """Creation time in epoch ms encoded in a Twitter snowflake id, or None for a non-numeric id."""
    try:
        number = int(tweet_id)
    except (TypeError, ValueError):
        return None
    if number < (1 << 22):
        return None
    return (number >> 22) + SNOWFLAKE_EPOCH_MS


def refine_minute_ms(minute_ms: int, tweet_id) -> int:
    """A minute-precision time made exact with the snowflake id, when the id agrees with that minute."""
    exact = snowflake_ms(tweet_id)
    if exact is not None and minute_ms <= exact < minute_ms + 60_000:
        return exact
    return minute_ms


def normalise_text(text: str) -> str:
    """The text compared for copy-paste: NFKC, case-folded, URLs removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _URL_RE.sub(" ", text)
    return _SPACE_RE.sub(" ", text).strip()


def text_hash(text: str | None) -> str | None:
    """A 16-hex-digit BLAKE2b hash of :func:`normalise_text`, or None for no text."""
    if text is None:
        return None
    return hashlib.blake2b(normalise_text(text).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


_HOST_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^:/?#\[\]]+)")


def domain_of(url: str) -> str | None:
    """The lower-case host of a URL without ``www.``, or None when it has none."""
    match = _HOST_RE.match(url)
    if match:
        host = match.group(1).lower()
    else:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def strip_html(text: str | None) -> str | None:
    """The visible text of a v1.1 ``source`` anchor (``<a href=...>Twitter for iPhone</a>``)."""
    if text is None:
        return None
    return _TAG_RE.sub("", text)


def split_list(value) -> list[str]:
    """Items of a list cell: a JSON or Python list literal (``['a', 'b']``), else separated by ``|`` or spaces."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    text = str(value).strip()
    if not text:
        return []
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            inner = text[1:-1]
            return [p.strip().strip("'\"") for p in inner.split(",") if p.strip().strip("'\"")]
        if isinstance(parsed, (list, tuple)):
            return [str(v) for v in parsed if v not in (None, "")]
    return [p for p in re.split(r"[|\s]+", text) if p]


def to_int(value, field: str) -> int | None:
    """An optional integer cell (empty -> None)."""
    if value is None or value == "":
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise BadValue(field, f"not a number: {str(value)[:40]!r}") from None


def to_bool(value) -> bool | None:
    """``true/false/1/0/yes/no`` (any case) to a bool; empty -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "t", "y")
