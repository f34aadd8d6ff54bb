"""Inputs -> the node and relationship CSV files of ``neo4j-admin database import full`` (no database needed).

The graph is the one the online writer (:mod:`.writer`) builds from the same inputs: the readers and
:func:`~.records.merge_bundles` make each chunk's facts exactly as for a write batch, and the facts of all chunks
are then folded by id with the writer's rules for a batch meeting what earlier batches wrote:

- an account: the first fact creates it; a full profile whose ``profile_ms`` is at least the stored one replaces
  the values it has (absent values keep the old ones); a bare reference only adds a handle to an account without one;
- a post: a full post replaces a stub's values (``stub`` false); a stub only adds the author to a stub without one;
- a retweet id: the first endpoints stay; other endpoints for the same id are rejected (when the rows are in
  different chunks this is found while folding and the inputs are read again knowing those ids, so the rows are
  rejected exactly where the online writer rejects them);
- a status check: the first value stays; the account shows the latest observation;
- relationships without values and shared nodes (hashtags, URLs, domains, media): each once.

Large JSON-lines files are cut at line boundaries and read by several processes; every chunk carries an order key
(input, part, chunk) so the fold sees facts in load order. In those parts a chunk of regular twarc2 pages skips the
records: :mod:`.page_facts` merges its facts straight from the typed pages, with the same result. Facts are spooled as JSON lines and ordered by GNU
``sort`` (bounded memory, on disk), so Python memory stays flat whatever the input size.
"""

from __future__ import annotations

import gc
import os
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import msgspec
import orjson

from .. import processes
from . import typed_pages
from .page_facts import ChunkFacts, Irregular
from .reading import Chunk, Finished, Opened, TimeLimits, read_inputs
from .records import Bundle, Reject, Skip, drop_retweet_conflicts, merge_bundles
from .sources import UnknownFormat, _json_value, detect, open_input
from .values import plausible_times

SPLIT_MIN_BYTES = 32 << 20    # JSON-lines files at least this large are read by several processes
SORT_MEMORY = "128M"           # per sort process (it spills to disk beyond this; part of the load's peak memory)
FAST_PAGES = True             # regular twarc2 pages go the fast route (page_facts); tests switch it off to compare
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# Node files: label -> columns (name, import type). The first column is the id. Types follow the Cypher writes.
ACCOUNT_COLUMNS = (
    ("id", "ID(Account)"), ("profile_ms", "long"), ("platform", "string"), ("username", "string"),
    ("username_lc", "string"), ("name", "string"), ("created_ms", "long"), ("created_at", "datetime"),
    ("description", "string"), ("location", "string"), ("lang", "string"), ("followers", "long"),
    ("following", "long"), ("tweet_count", "long"), ("verified", "boolean"), ("profile_image_url", "string"),
    ("default_profile_image", "boolean"), ("status", "string"), ("status_checked_ms", "long"),
    ("status_checked_at", "datetime"),
)
TWEET_COLUMNS = (
    ("id", "ID(Tweet)"), ("stub", "boolean"), ("created_ms", "long"), ("created_at", "datetime"), ("text", "string"),
    ("text_hash", "string"), ("lang", "string"), ("source", "string"), ("kind", "string"), ("author_id", "string"),
    ("conversation_id", "string"),
)
STATUS_COLUMNS = (("key", "ID(StatusCheck)"), ("status", "string"), ("checked_ms", "long"), ("checked_at", "datetime"))
SOURCE_COLUMNS = (
    ("key", "ID(Source)"), ("path", "string"), ("sha256", "string"), ("format", "string"), ("loaded_at", "datetime"),
    ("rows", "long"), ("loaded", "long"), ("rejected", "long"), ("skipped", "long"), ("events", "long"),
    ("rejects_file", "string"), ("completed", "boolean"), ("finished_at", "datetime"),
)
# value-less relationships spooled as tuples: spool name -> (type, start id space, end id space)
PAIRS = {
    "posted": ("POSTED", "Account", "Tweet"),      # (account id, tweet id)
    "replies": ("REPLY_TO", "Tweet", "Tweet"),
    "quotes": ("QUOTES", "Tweet", "Tweet"),
    "tags": ("TAGS", "Tweet", "Hashtag"),
    "mentions": ("MENTIONS", "Tweet", "Account"),
    "media": ("SHOWS", "Tweet", "Media"),
    "had_status": ("HAD_STATUS", "Account", "StatusCheck"),
}
RETWEET_HEADER = [":START_ID(Account)", ":END_ID(Tweet)", "id", "at_ms:long", "at:datetime"]
SPOOLS = ("accounts", "tweets", "retweets", "statuses", "links", *PAIRS)


class BulkInputError(Exception):
    """A value the import files cannot hold as the online writer would store it (then load online)."""


@dataclass
class Part:
    """One unit of parallel reading: a whole input, or a line-aligned byte range of a JSON-lines file."""

    seq: int                 # load order of the part (inputs in order, ranges in file order)
    index: int               # the input's position among the inputs read
    path: str
    fmt: str
    format: str | None = None  # the recognised format, for byte ranges
    start: int | None = None  # byte range (None: the whole input, read the general way)
    end: int | None = None
    first_line: int = 1


@dataclass
class PartResult:
    """What reading one part found: counts for the input's summary and its rejects, in order."""

    seq: int
    index: int
    format: str | None = None
    error: str | None = None
    size: int | None = None
    rows: int = 0
    loaded: int = 0
    rejected: int = 0
    skipped: int = 0
    events: int = 0
    skip_reasons: Counter = field(default_factory=Counter)
    rejects: list[tuple] = field(default_factory=list)   # (line, field, reason, raw)


@dataclass
class ImportFiles:
    """The files for ``neo4j-admin database import full``: label -> node file, type -> relationship file."""

    nodes: dict[str, Path]
    relationships: dict[str, Path]
    counts: dict[str, int]


# ---------------------------------------------------------------------------------------------------- reading


def plan_parts(paths: list[str], fmt: str, workers: int) -> list[Part]:
    """Cut each large uncompressed JSON-lines input into ``workers`` line-aligned ranges; others are one part."""
    parts: list[Part] = []
    for index, path in enumerate(paths):
        found = _line_ranges(path, fmt, workers) if workers > 1 else None
        if not found:
            parts.append(Part(len(parts), index, path, fmt))
            continue
        name, ranges = found
        for start, end, first_line in ranges:
            parts.append(Part(len(parts), index, path, fmt, name, start, end, first_line))
    return parts


def _line_ranges(path: str, fmt: str, workers: int) -> tuple[str, list[tuple[int, int, int]]] | None:
    size = os.path.getsize(path)
    if size < SPLIT_MIN_BYTES:
        return None
    inp = open_input(path)
    try:
        if inp.compressed:
            return None
        try:
            reader = detect(inp, fmt)
        except UnknownFormat:
            return None
        if reader.format not in ("twarc2", "v1"):
            return None
        first = inp.stream.readline()
        while first and not first.strip():
            first = inp.stream.readline()
        try:
            orjson.loads(first)  # one whole JSON value per line: JSON lines, not one multi-line document
        except orjson.JSONDecodeError:
            return None
    finally:
        inp.close()
    return reader.format, _finish_ranges(path, size, workers)


def _finish_ranges(path: str, size: int, workers: int) -> list[tuple[int, int, int]]:
    """Line-aligned ranges ``(start, end, first line number)`` covering the file."""
    cuts = [0]
    lines = [1]
    with open(path, "rb") as fh:
        offset, line = 0, 1
        for k in range(1, workers):
            target = size * k // workers
            while offset < target:
                block = fh.read(min(1 << 24, target - offset))
                if not block:
                    break
                line += block.count(b"\n")
                offset += len(block)
            rest = fh.readline()
            offset += len(rest)
            line += rest.count(b"\n")
            if cuts[-1] < offset < size:
                cuts.append(offset)
                lines.append(line)
    cuts.append(size)
    return [(cuts[i], cuts[i + 1], lines[i]) for i in range(len(cuts) - 1)]


def _range_messages(part: Part, batch_size: int, known: dict[str, tuple[str, str]]) -> Iterator[Opened | tuple | Finished]:
    """The messages of :func:`~.reading.read_inputs` for a byte range of a JSON-lines file, a chunk coming as
    ``(chunk, facts)``: a chunk of regular twarc2 pages has no bundles, its merged facts are ``facts``
    (:mod:`.page_facts`); any other chunk has its bundles and ``facts`` None. Both are cut where the general
    reader cuts them."""
    yield Opened(part.index, part.format, None, None)
    bounds = TimeLimits.now().bounds(part.format)  # the online path's default plausible times
    typed = part.fmt != "v1" and typed_pages.ENABLED and FAST_PAGES
    chunk, weight, facts, items, general = Chunk(part.index), 0, ChunkFacts(known), [], False

    def finish():
        if not general and not facts.clash and facts.usable:
            facts.complete()
            return chunk, facts
        # read the fast pages again the general way: their bundles take their places among the others
        for item in items:
            if type(item) is Bundle:
                chunk.bundles.append(item)
                continue
            with plausible_times(bounds):
                again = list(_json_value(item[1], item[0], part.fmt))
            if len(again) != 1 or type(again[0]) is not Bundle:
                raise RuntimeError(f"line {item[0]}: the fast and general readers of twarc2 pages disagree")
            chunk.bundles.append(again[0])
        return chunk, None

    line = part.first_line - 1
    with open(part.path, "rb") as fh:
        fh.seek(part.start)
        remaining = part.end - part.start
        while remaining > 0:
            raw_line = fh.readline()
            if not raw_line:
                break
            remaining -= len(raw_line)
            line += 1
            if not raw_line.strip():
                found = [Skip(line, "blank line")]  # every line is loaded, rejected or skipped, as online
            else:
                found = None
                page = None
                if typed and facts.usable:  # once a page of the chunk was irregular, the chunk is read the general way
                    try:
                        page = typed_pages.decode_struct_page(raw_line)
                    except (typed_pages.DecodeError, typed_pages.ValidationError):
                        page = None
                if page is not None:
                    with plausible_times(bounds):
                        try:
                            events = facts.add_page(page, bounds)
                        except Irregular:
                            pass
                        else:
                            chunk.rows += 1
                            items.append((line, raw_line))
                            weight += events or 1
                            found = ()
                if found is None:
                    with plausible_times(bounds):
                        found = list(_json_value(raw_line, line, part.fmt))
            for item in found:
                if type(item) is Bundle:
                    general = True
                    items.append(item)
                    chunk.rows += 1
                    weight += item.events or 1
                else:
                    weight += chunk.add(item)
                if weight >= batch_size:
                    yield finish()
                    chunk, weight, facts, items, general = Chunk(part.index), 0, ChunkFacts(known), [], False
            if not found and weight >= batch_size:
                yield finish()
                chunk, weight, facts, items, general = Chunk(part.index), 0, ChunkFacts(known), [], False
    if chunk.rows:
        yield finish()
    yield Finished(part.index, part.end)


class _Spool:
    """Per-part spool files, one per kind of fact: ``<json key>\\t<order>\\t<json payload>`` lines.

    A post included on many pages comes again in many chunks: under the fold's rules its full values given again
    (nothing else of that post between them but stubs, which a full post makes moot) add nothing, so such lines are
    not spooled. The last values spooled of at most :data:`POSTS_KEPT` posts are held here (then forgotten).
    """

    def __init__(self, folder: Path, seq: int):
        self.files = {name: open(folder / f"{name}.{seq:05d}", "wb") for name in SPOOLS}  # noqa: SIM115
        self.posts: dict[str, bytes] = {}    # post id -> the values JSON of its last full-post line

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


POSTS_KEPT = 16_384
# the values JSON of posts, some of them held: msgspec's bytes are their size, where orjson's keep about 4 KB each
# (the fold reads both the same)
_encode = msgspec.json.encode


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Let the cyclic garbage collector run rarely. Reading and folding make millions of short-lived dicts and
    tuples that reference counting frees, and none of their own cycles; at the default threshold (a collection
    every 700 container allocations) the collector took about a quarter of the reading's CPU."""
    before = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


GC_THRESHOLD = 50_000


def read_part(part: Part, folder: str, batch_size: int, known: dict[str, tuple[str, str]]) -> PartResult:
    """Read one part into spool files in ``folder``; ``known`` are retweet ids (with their first endpoints)
    that other chunks also use. Runs in a worker process."""
    with _rare_collections():
        return _read_part(part, folder, batch_size, known)


def _read_part(part: Part, folder: str, batch_size: int, known: dict[str, tuple[str, str]]) -> PartResult:
    result = PartResult(part.seq, part.index)
    spool = _Spool(Path(folder), part.seq)
    dumps = orjson.dumps
    if part.start is None:
        messages = read_inputs([part.path], part.fmt, batch_size)
    else:
        messages = _range_messages(part, batch_size, known)
    chunk_no = 0
    try:
        for message in messages:
            if type(message) is Opened:
                result.format, result.error, result.size = message.format, message.error, message.size
                continue
            if type(message) is tuple:
                message, facts = message
            elif type(message) is Chunk:
                facts = None
            else:
                continue
            chunk_no += 1
            result.rows += message.rows
            result.loaded += len(message.bundles) + (facts.pages if facts is not None else 0)
            for r in message.rejects:
                result.rejects.append((r.line, r.field, r.reason, r.raw))
            result.rejected += len(message.rejects)
            result.skipped += sum(message.skips.values())
            result.skip_reasons.update(message.skips)
            if facts is not None:
                result.events += facts.events
                _spool_facts(spool, facts, f"{part.seq:05d}{chunk_no:09d}".encode(), dumps)
                continue

            def on_reject(r: Reject, whole_row: bool) -> None:
                result.rejects.append((r.line, r.field, r.reason, r.raw))
                result.rejected += 1
                if whole_row:
                    result.loaded -= 1

            bundles = drop_retweet_conflicts(message.bundles, on_reject, known)
            if not bundles:
                continue
            batch = merge_bundles(bundles)
            result.events += batch.events
            _spool_batch(spool, batch, f"{part.seq:05d}{chunk_no:09d}", dumps)
    finally:
        spool.close()
    return result


def _spool_facts(spool: _Spool, facts: ChunkFacts, order: bytes, dumps) -> None:
    """Spool a chunk's merged facts (:class:`.page_facts.ChunkFacts`) as :func:`_spool_batch` spools a batch (but
    for the posts' repeated values, see :class:`_Spool`)."""
    files = spool.files
    n = 0
    accounts, tweets = facts.accounts, facts.tweets
    lines = []
    for uid, (profile_ms, props) in accounts.items():
        n += 1
        lines.append(b"%b\t%b%07d\t%b\n" % (dumps(uid), order, n, dumps(("F", profile_ms, props))))
    for uid, (platform, username) in facts.refs.items():
        if uid not in accounts:
            n += 1
            lines.append(b"%b\t%b%07d\t%b\n" % (dumps(uid), order, n, dumps(("R", platform, username))))
    files["accounts"].write(b"".join(lines))
    lines = []
    posted = []
    known = spool.posts
    if len(known) > POSTS_KEPT:
        known.clear()
    for tid, (author, props) in tweets.items():
        values = _encode(props)
        if known.get(tid) == values:
            continue
        known[tid] = values
        n += 1
        lines.append(b"%b\t%b%07d\t[\"F\",%b]\n" % (dumps(tid), order, n, values))
        posted.append(dumps((author, tid)))
    for sid, (created_ms, author) in facts.stubs.items():
        if sid not in tweets:
            n += 1
            lines.append(b"%b\t%b%07d\t%b\n" % (dumps(sid), order, n, dumps(("S", author, created_ms))))
            if author:
                posted.append(dumps((author, sid)))
    files["tweets"].write(b"".join(lines))
    lines = []
    for (rid, account_id, target), at_ms in facts.retweets.items():
        n += 1
        lines.append(b"%b\t%b%07d\t%b\n" % (dumps(rid), order, n, dumps((account_id, target, at_ms))))
    files["retweets"].write(b"".join(lines))
    files["posted"].write(b"".join(p + b"\n" for p in posted))
    for name in ("replies", "quotes", "tags", "mentions", "media", "links"):
        pairs = getattr(facts, name)
        if pairs:
            files[name].write(b"".join(dumps(p) + b"\n" for p in pairs))


def _spool_batch(spool: _Spool, batch, order: str, dumps) -> None:
    spool.posts.clear()  # a general chunk may give other values for them
    files = spool.files
    n = 0

    def put(name: str, key, payload) -> None:
        nonlocal n
        n += 1
        files[name].write(b"%b\t%s%07d\t%b\n" % (dumps(key), order.encode(), n, dumps(payload)))

    for r in batch.accounts:
        put("accounts", r["id"], ["F", r["profile_ms"], r["props"]])
    for r in batch.account_refs:
        put("accounts", r["id"], ["R", r.get("platform"), r.get("username")])
    for t in batch.tweets:
        put("tweets", t["id"], ["F", t["props"]])
    for s in batch.stubs:
        put("tweets", s["id"], ["S", s.get("author_id"), s.get("created_ms")])
    for r in batch.retweets:
        put("retweets", r["id"], [r["account_id"], r["tweet_id"], r["at_ms"]])
    for s in batch.statuses:
        put("statuses", s["key"], [s["account_id"], s["status"], s["checked_ms"]])
        put("accounts", s["account_id"], ["T", s["status"], s["checked_ms"]])
    pair_lines = spool.files
    for r in batch.posted:
        pair_lines["posted"].write(dumps([r["author_id"], r["id"]]) + b"\n")
    for name, a, b in (("replies", "src", "dst"), ("quotes", "src", "dst"), ("tags", "tweet_id", "tag"),
                       ("mentions", "tweet_id", "account_id"), ("media", "tweet_id", "key")):
        fh = pair_lines[name]
        for r in getattr(batch, name):
            fh.write(dumps([r[a], r[b]]) + b"\n")
    for r in batch.links:
        pair_lines["links"].write(dumps([r["tweet_id"], r["url"], r["domain"]]) + b"\n")
    for s in batch.statuses:
        pair_lines["had_status"].write(dumps([s["account_id"], s["key"]]) + b"\n")


def read_all(parts: list[Part], folder: Path, batch_size: int, workers: int, known: dict,
             on_done: Callable[[PartResult], None] | None = None) -> list[PartResult]:
    """Read every part (in ``workers`` processes when there is more than one part) into spool files."""
    for name in os.listdir(folder):
        os.unlink(folder / name)
    if workers <= 1 or len(parts) <= 1:
        results = []
        for part in parts:
            results.append(read_part(part, str(folder), batch_size, known))
            if on_done:
                on_done(results[-1])
        return results
    # spawn, not fork: the parent may hold a driver with threads; workers import only the readers
    with processes.spawn_pool(workers) as pool:
        with processes.main_module_hidden():
            futures = [pool.submit(read_part, part, str(folder), batch_size, known) for part in parts]
        results = []
        for future in futures:
            results.append(future.result())
            if on_done:
                on_done(results[-1])
    return results


# ---------------------------------------------------------------------------------------------------- folding


def _sorted_lines(files: list[Path], tmp: Path, unique: bool = False) -> Iterator[bytes]:
    """The lines of ``files`` in byte order (GNU sort: on disk, bounded memory, both cores)."""
    files = [f for f in files if f.stat().st_size]
    if not files:
        return
    cmd = ["sort", "-S", SORT_MEMORY, "--parallel=2", "-T", str(tmp), *(["-u"] if unique else []), *map(str, files)]
    env = {**os.environ, "LC_ALL": "C"}
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env, bufsize=1 << 20) as proc:
        yield from proc.stdout
        proc.stdout.close()
        if proc.wait() != 0:
            raise RuntimeError(f"sort failed with exit code {proc.returncode}")


def _groups(lines: Iterator[bytes]) -> Iterator[tuple[str, list[list]]]:
    """(key, payloads in load order) for each key of sorted ``<key>\\t<order>\\t<payload>`` lines."""
    current = None
    payloads: list = []
    for line in lines:
        key, _, rest = line.partition(b"\t")
        if key != current:
            if current is not None:
                yield orjson.loads(current), payloads
            current, payloads = key, []
        payloads.append(orjson.loads(rest[rest.index(b"\t") + 1:]))
    if current is not None:
        yield orjson.loads(current), payloads


def iso_ms(ms: int | None) -> str | None:
    """An epoch-milliseconds time as the ISO 8601 text the importer reads as a UTC ``datetime``."""
    if ms is None:
        return None
    return (_EPOCH + timedelta(milliseconds=ms)).isoformat(timespec="milliseconds")


class _CsvFile:
    """One import file: a header of ``name:type`` columns, then rows; strings are quoted so that an empty string
    stays one, an absent value is an empty unquoted field (no property)."""

    def __init__(self, path: Path, header: list[str]):
        self.path = path
        self.fh = open(path, "w", encoding="utf-8", errors="surrogatepass", newline="")  # noqa: SIM115
        self.fh.write(",".join(header) + "\n")
        self.rows = 0

    def row(self, values: list) -> None:
        self.fh.write(",".join(["" if v is None else str(v) if type(v) is int else '"' + v.replace('"', '""') + '"'
                                for v in values]) + "\n")
        self.rows += 1

    def close(self) -> None:
        self.fh.close()


def _cell(value, kind: str, where: str):
    if value is None:
        return None
    if kind == "long":
        if type(value) is not int:
            raise BulkInputError(f"{where} is {value!r}, which the import files cannot hold as the online load stores it")
        return value
    if kind == "boolean":
        if type(value) is not bool:
            raise BulkInputError(f"{where} is {value!r}, not true or false")
        return "true" if value else "false"
    if kind == "datetime":
        return iso_ms(value)
    if type(value) is not str:
        raise BulkInputError(f"{where} is {value!r}, not text")
    return value


def _node_file(path: Path, columns) -> _CsvFile:
    return _CsvFile(path, [f"{name}:{kind}" if kind != "string" else name for name, kind in columns])


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _node_writer(columns, label: str) -> Callable[[_CsvFile, dict], None]:
    """A function writing one node's values as a row of ``columns``: the row :meth:`_CsvFile.row` writes of the
    values :func:`_cell` gives (the conversion of each column chosen once per file, not per cell)."""
    key = columns[0][0]

    def checked(name: str, kind: str, ok: type, text: Callable):
        def cell(v, values):
            if v is None:
                return ""
            if type(v) is ok:
                return text(v)
            _cell(v, kind, f"{label} {values[key]!r} {name}")  # raises: not a value the column can hold
            raise AssertionError(v)
        return cell

    def ident(v, _values):
        return "" if v is None else str(v) if type(v) is int else _quoted(v)

    def moment(v, _values):
        return "" if v is None else _quoted(iso_ms(v))

    plan = []
    for name, kind in columns:
        if kind.startswith("ID("):
            plan.append((name, ident))
        elif kind == "datetime":
            plan.append((name[:-3] + "_ms", moment))
        elif kind == "string":
            plan.append((name, checked(name, kind, str, _quoted)))
        elif kind == "long":
            plan.append((name, checked(name, kind, int, str)))
        else:
            plan.append((name, checked(name, kind, bool, lambda v: '"true"' if v else '"false"')))

    def write(out: _CsvFile, values: dict) -> None:
        get = values.get
        out.fh.write(",".join([cell(get(name), values) for name, cell in plan]) + "\n")
        out.rows += 1

    return write


def _write_node(out: _CsvFile, columns, values: dict, label: str) -> None:
    _node_writer(columns, label)(out, values)


def fold_retweets(folder: Path, tmp: Path, out: _CsvFile | None) -> dict[str, tuple[str, str]]:
    """Write each retweet id once (its first endpoints); return the ids also given other endpoints, with the
    first ones (empty when there are none: then the file is complete)."""
    clashes: dict[str, tuple[str, str]] = {}
    with _rare_collections():
        _fold_retweets(folder, tmp, out, clashes)
    return clashes


def _fold_retweets(folder: Path, tmp: Path, out: _CsvFile | None, clashes: dict[str, tuple[str, str]]) -> None:
    for key, rows in _groups(_sorted_lines(sorted(folder.glob("retweets.*")), tmp)):
        account_id, tweet_id, at_ms = rows[0]
        for other in rows[1:]:
            if (other[0], other[1]) != (account_id, tweet_id):
                clashes[key] = (account_id, tweet_id)
                break
        if out is not None and not clashes:
            out.row([account_id, tweet_id, key, _cell(at_ms, "long", f"retweet {key!r} at_ms"), iso_ms(at_ms)])


def fold_accounts(folder: Path, tmp: Path, out: _CsvFile) -> None:
    write = _node_writer(ACCOUNT_COLUMNS, "Account")
    for key, rows in _groups(_sorted_lines(sorted(folder.glob("accounts.*")), tmp)):
        state: dict | None = None
        status_ms = None
        for row in rows:
            kind = row[0]
            if kind == "F":
                profile_ms, props = row[1], row[2]
                if state is None:
                    state = {**props, "profile_ms": profile_ms}
                elif state.get("profile_ms") is None or profile_ms >= state["profile_ms"]:
                    state["profile_ms"] = profile_ms
                    state.update((k, v) for k, v in props.items() if v is not None)
            elif kind == "R":
                platform, username = row[1], row[2]
                if state is None:
                    state = {"platform": platform, "username": username,
                             "username_lc": username.lower() if username else None}
                elif username and state.get("username") is None:
                    state["username"], state["username_lc"] = username, username.lower()
            else:  # a status observation: the latest is shown on the account
                status, checked_ms = row[1], row[2]
                if status_ms is None or checked_ms >= status_ms:
                    status_ms = checked_ms
                    state["status"], state["status_checked_ms"] = status, checked_ms
        state["id"] = key
        write(out, state)


def fold_tweets(folder: Path, tmp: Path, out: _CsvFile) -> None:
    write = _node_writer(TWEET_COLUMNS, "Tweet")
    for key, rows in _groups(_sorted_lines(sorted(folder.glob("tweets.*")), tmp)):
        state: dict | None = None
        for row in rows:
            if row[0] == "F":
                if state is None:
                    state = {**row[1], "stub": False}
                else:
                    state["stub"] = False
                    state.update((k, v) for k, v in row[1].items() if v is not None)
            else:
                author_id, created_ms = row[1], row[2]
                if state is None:
                    state = {"stub": True, "author_id": author_id, "created_ms": created_ms}
                elif state["stub"] and state.get("author_id") is None and author_id:
                    state["author_id"] = author_id
        state["id"] = key
        write(out, state)


def fold_statuses(folder: Path, tmp: Path, out: _CsvFile) -> None:
    for key, rows in _groups(_sorted_lines(sorted(folder.glob("statuses.*")), tmp)):
        _, status, checked_ms = rows[0]
        _write_node(out, STATUS_COLUMNS, {"key": key, "status": status, "checked_ms": checked_ms}, "StatusCheck")


def write_pairs(folder: Path, tmp: Path, out_dir: Path, nodes: dict[str, _CsvFile]) -> dict[str, _CsvFile]:
    """Relationship files of the value-less relationships, each once, and the shared nodes they end at."""
    files: dict[str, _CsvFile] = {}
    for name, (rel_type, start_space, end_space) in PAIRS.items():
        out = files[rel_type] = _CsvFile(out_dir / f"rel_{rel_type}.csv", [f":START_ID({start_space})", f":END_ID({end_space})"])
        for line in _sorted_lines(sorted(folder.glob(f"{name}.*")), tmp, unique=True):
            out.row(orjson.loads(line))
        if end_space in ("Hashtag", "Media"):
            column = "tag" if end_space == "Hashtag" else "key"
            nodes[end_space] = _CsvFile(out_dir / f"node_{end_space}.csv", [f"{column}:ID({end_space})"])
            for line in _sorted_lines(_second_values(folder, tmp, name), tmp, unique=True):
                nodes[end_space].row([orjson.loads(line)])
    # links: Url nodes, Domain nodes, LINKS and ON_DOMAIN
    links = files["LINKS"] = _CsvFile(out_dir / "rel_LINKS.csv", [":START_ID(Tweet)", ":END_ID(Url)"])
    for line in _sorted_lines(sorted(folder.glob("links.*")), tmp, unique=True):
        tweet_id, url, _domain = orjson.loads(line)
        links.row([tweet_id, url])
    urls = nodes["Url"] = _CsvFile(out_dir / "node_Url.csv", ["url:ID(Url)"])
    domains = nodes["Domain"] = _CsvFile(out_dir / "node_Domain.csv", ["name:ID(Domain)"])
    on_domain = files["ON_DOMAIN"] = _CsvFile(out_dir / "rel_ON_DOMAIN.csv", [":START_ID(Url)", ":END_ID(Domain)"])
    _url_domain_files(folder, tmp, urls, domains, on_domain)
    return files


def _second_values(folder: Path, tmp: Path, name: str) -> list[Path]:
    out = tmp / f"{name}.ends"
    with open(out, "wb") as fh:
        for spool in sorted(folder.glob(f"{name}.*")):
            with open(spool, "rb") as src:
                for line in src:
                    fh.write(orjson.dumps(orjson.loads(line)[1]) + b"\n")
    return [out]


def _url_domain_files(folder: Path, tmp: Path, urls: _CsvFile, domains: _CsvFile, on_domain: _CsvFile) -> None:
    pairs = tmp / "url_domain.lines"
    names = tmp / "domains.lines"
    with open(pairs, "wb") as fh, open(names, "wb") as dn:
        for spool in sorted(folder.glob("links.*")):
            with open(spool, "rb") as src:
                for line in src:
                    _tweet, url, domain = orjson.loads(line)
                    fh.write(orjson.dumps([url, domain]) + b"\n")
                    if domain is not None:
                        dn.write(orjson.dumps(domain) + b"\n")
    last_url = None
    for line in _sorted_lines([pairs], tmp, unique=True):
        url, domain = orjson.loads(line)
        if url != last_url:
            urls.row([url])
            last_url = url
        if domain is not None:
            on_domain.row([url, domain])
    for line in _sorted_lines([names], tmp, unique=True):
        domains.row([orjson.loads(line)])
    pairs.unlink()
    names.unlink()


def fold_all(folder: Path, out_dir: Path, tmp: Path, log: Callable[[str], None] = lambda _m: None,
             retweets: Path | None = None) -> ImportFiles:
    """Fold the spooled facts into the import files in ``out_dir``; ``retweets`` is the RETWEETED file that
    :func:`fold_retweets` wrote already (else it is written here, and the retweets must be free of clashes)."""
    with _rare_collections():
        return _fold_all(folder, out_dir, tmp, log, retweets)


def _fold_all(folder: Path, out_dir: Path, tmp: Path, log: Callable[[str], None], retweets: Path | None) -> ImportFiles:
    out_dir.mkdir(parents=True, exist_ok=True)
    nodes: dict[str, _CsvFile] = {}
    rels: dict[str, _CsvFile] = {}
    log("ordering and folding accounts")
    nodes["Account"] = _node_file(out_dir / "node_Account.csv", ACCOUNT_COLUMNS)
    fold_accounts(folder, tmp, nodes["Account"])
    log("ordering and folding posts")
    nodes["Tweet"] = _node_file(out_dir / "node_Tweet.csv", TWEET_COLUMNS)
    fold_tweets(folder, tmp, nodes["Tweet"])
    nodes["StatusCheck"] = _node_file(out_dir / "node_StatusCheck.csv", STATUS_COLUMNS)
    fold_statuses(folder, tmp, nodes["StatusCheck"])
    retweet_rows = None
    if retweets is None:
        log("ordering retweets")
        rels["RETWEETED"] = _CsvFile(out_dir / "rel_RETWEETED.csv", RETWEET_HEADER)
        if fold_retweets(folder, tmp, rels["RETWEETED"]):
            raise RuntimeError("retweet ids with two different endpoints reached the fold")
    else:
        with open(retweets, "rb") as fh:
            retweet_rows = sum(1 for _ in fh) - 1  # ids and times hold no line breaks
    log("ordering relationships")
    rels.update(write_pairs(folder, tmp, out_dir, nodes))
    for f in (*nodes.values(), *rels.values()):
        f.close()
    counts = {label: f.rows for label, f in nodes.items()}
    counts.update({rel: f.rows for rel, f in rels.items()})
    relationships = {rel: f.path for rel, f in rels.items()}
    if retweets is not None:
        relationships["RETWEETED"], counts["RETWEETED"] = retweets, retweet_rows
    return ImportFiles({label: f.path for label, f in nodes.items()}, relationships, counts)


def write_sources(path: Path, sources: list[dict]) -> Path:
    """The ``:Source`` provenance nodes (one per distinct file content; the last read of it wins)."""
    by_key: dict[str, dict] = {}
    for s in sources:
        by_key[s["key"]] = s
    out = _node_file(path, SOURCE_COLUMNS)
    for s in by_key.values():
        row = []
        for name, kind in SOURCE_COLUMNS:
            value = s.get(name)
            row.append(value if kind.startswith("ID(") else (value if kind == "datetime" else _cell(value, kind, f"Source {name}")))
        out.row(row)
    out.close()
    return path


def default_workers() -> int:
    """Reader processes: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
