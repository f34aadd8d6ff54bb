"""Opening an input (file, ``.gz``, or ``-`` for stdin), recognising its format, and streaming its rows as
bundles, rejects and skips."""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import msgspec
import orjson

from . import tabular, twarc2, typed_pages, v1
from .records import Bundle, Reject, Skip
from .values import BadValue

FORMATS = ("auto", "twarc2", "v1", "io-archive", "csv", "status")
MAX_FIELD_BYTES = 32 * 1024 * 1024  # larger CSV fields are rejected, smaller multi-MB texts load verbatim
GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
# content that is positively not an input (a folder walk skips it; given by name it is rejected as unrecognised)
NOT_DATA_MAGIC = (
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip archive (or .xlsx/.docx)"), (b"\xfd7zXZ\x00", "xz-compressed data"), (b"BZh", "bzip2-compressed data"),
    (b"RDX2", "R data (.rda)"), (b"RDX3", "R data (.rda)"), (b"RDA2", "R data (.rda)"), (b"RDA3", "R data (.rda)"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"\x7fELF", "a program"), (b"<?xml", "an XML document (e.g. GraphML)"),
)
_HEADER_CELL = re.compile(r"^\s*\"?[A-Za-z_][\w .:\-]{0,63}\"?\s*$")

csv.field_size_limit(MAX_FIELD_BYTES)


class UnknownFormat(Exception):
    """The input's format could not be recognised (or does not match ``--format``)."""


@dataclass
class OpenInput:
    """A binary stream over the (decompressed) input plus what is needed for progress and provenance."""

    stream: BinaryIO
    raw: BinaryIO            # the file itself, for the compressed read position
    size: int | None         # bytes on disk, None for stdin
    compressed: bool
    closers: list = field(default_factory=list)
    gzip: "_TolerantGzip | None" = None

    @property
    def gzip_error(self) -> Exception | None:
        """Why the compressed data ended early (truncated or corrupt), or None."""
        return self.gzip.error if self.gzip is not None else None

    def position(self) -> int:
        """Bytes of the on-disk file consumed so far."""
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        for c in reversed(self.closers):
            try:
                c.close()
            except Exception:  # noqa: BLE001 - closing after a failure must not mask it
                pass


def open_input(path: str) -> OpenInput:
    """Open ``path`` (``-`` = stdin) for binary reading; gzip is recognised by its magic bytes, not the name."""
    if path == "-":
        raw = sys.stdin.buffer
        buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
        size = None
        closers: list = []
    else:
        raw = open(path, "rb")  # noqa: SIM115 - closed by OpenInput.close
        buffered = raw
        size = Path(path).stat().st_size
        closers = [raw]
    head = buffered.peek(2)[:2]
    if head == GZIP_MAGIC:
        tolerant = _TolerantGzip(buffered)
        return OpenInput(io.BufferedReader(tolerant, 1 << 20), raw, size, True, closers, tolerant)
    return OpenInput(buffered, raw, size, False, closers)


GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error, OSError)


class _TolerantGzip(io.RawIOBase):
    """Gzip data (one or more members) decompressed with zlib, ending at a truncation or corruption instead of
    raising, so every row before the damage is read; ``error`` says what the damage was."""

    CHUNK = 1 << 16

    def __init__(self, source: BinaryIO):
        self.source = source
        self.inflater = zlib.decompressobj(wbits=31)
        self.pending = b""
        self.error: Exception | None = None
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending and not self.done:
            self._fill()
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n

    def _fill(self) -> None:
        if self.inflater.eof:
            leftover = self.inflater.unused_data
            self.inflater = zlib.decompressobj(wbits=31)  # the next member of a concatenated gzip
            self.fed = False
            data = leftover or self.source.read(self.CHUNK)
        else:
            data = self.source.read(self.CHUNK)
        if not data:
            if self.fed and not self.inflater.eof:
                self.error = EOFError("compressed file ended before the end-of-stream marker was reached")
            self.done = True
            return
        self.fed = True
        try:
            self.pending = self.inflater.decompress(data)
        except zlib.error as exc:
            self.error = exc
            self.done = True

    fed = False


@dataclass
class Reader:
    """Streams one input: ``format`` is the recognised layout (e.g. ``twarc2``, ``csv:coortweet``)."""

    format: str
    rows: Iterator[Bundle | Reject | Skip]


def detect(inp: OpenInput, fmt: str = "auto") -> Reader:
    """Recognise the input's format from its first bytes (JSON vs CSV header) and return a streaming reader."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
    try:
        head = inp.stream.peek(65536)[:65536]
    except GZIP_ERRORS as exc:
        raise UnknownFormat(f"cannot read the compressed data ({exc})") from exc
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text:
        return Reader("empty", iter([Skip(0, "empty file")]))
    if text[:1] in (b"{", b"["):
        if fmt in ("io-archive", "csv", "status"):
            raise UnknownFormat(f"--format {fmt} expects CSV, but the input is JSON")
        return Reader(_json_family(text, fmt), _json_rows(inp, fmt))
    if fmt == "twarc2" or fmt == "v1":
        raise UnknownFormat(f"--format {fmt} expects JSON, but the input does not start with {{ or [")
    first_line = text.decode("utf-8", "replace").splitlines()[0]
    header = next(csv.reader([first_line]), [])
    layout = tabular.match_layout(header, fmt)
    if layout is None:
        if head[:6] == b"\xfd7zXZ\x00" or head[:3] == b"BZh" or head[:4] in (b"RDX2", b"RDX3", b"PK\x03\x04"):
            raise UnknownFormat("a compressed or binary file that is not gzip (an R .rda, xz, bzip2 or zip?); "
                                "export or decompress it to CSV or JSON first")
        known = ", ".join(f for f in FORMATS if f != "auto")
        raise UnknownFormat(
            f"unrecognised input; known formats: {known} (JSON for twarc2/v1). "
            f"The first line has columns {header[:12]}; CSV layouts understood: {tabular.CSV_LAYOUT_HELP}"
        )
    if layout.read_row is None:
        return Reader(layout.name, iter([Skip(0, layout.skip_reason)]))
    return Reader(layout.name, _csv_rows(inp, layout))


def not_data_reason(path: str) -> str | None:
    """Why the file at ``path`` is positively not an input, judged by its content (never its name), or None when it
    may be one: gzip is looked into; JSON, a known CSV header or a line of column names count as data; known
    binary formats (images, PDF, R data, zip, ...) and text whose first line is not a header do not."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return None  # let the reader report it
    if head[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 65536)
        except zlib.error:
            return None  # damaged gzip: the reader loads what it can and reports the damage
    text = head[len(UTF8_BOM):] if head.startswith(UTF8_BOM) else head
    text = text.lstrip()
    if not text or text[:1] in (b"{", b"["):
        return None
    for magic, what in NOT_DATA_MAGIC:
        if text.startswith(magic):
            return what
    if b"\x00" in head:
        return "binary content"
    first_line = text.decode("utf-8", "replace").splitlines()[0]
    header = next(csv.reader([first_line]), [])
    if tabular.match_layout(header, "auto") is not None:
        return None
    if len(header) >= 2 and all(_HEADER_CELL.match(cell) for cell in header):
        return None  # column names of a layout not known: read it, so the user learns it was not understood
    return f"text whose first line is not a header of data ({first_line[:60]!r})"


def _json_family(text: bytes, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    probe = text[:4096]
    if b'"id_str"' in probe or b'"statuses"' in probe or b'"screen_name"' in probe:
        return "v1"
    return "twarc2"


def _json_rows(inp: OpenInput, fmt: str) -> Iterator[Bundle | Reject | Skip]:
    """JSON lines, or one JSON document (array / search response) when the first line is not a whole value."""
    stream = inp.stream
    line_no = 0
    probed = False
    try:
        for raw_line in stream:
            line_no += 1
            if not raw_line.endswith(b"\n") and inp.gzip_error is not None:
                line_no -= 1  # the cut-off end of a damaged gzip: reported once, below
                break
            if line_no == 1 and raw_line.startswith(UTF8_BOM):
                raw_line = raw_line[len(UTF8_BOM):]
            if not raw_line.strip():
                yield Skip(line_no, "blank line")
                continue
            if not probed:  # only the first line tells JSON lines from one multi-line document
                probed = True
                try:
                    orjson.loads(raw_line)
                except orjson.JSONDecodeError:
                    if raw_line.lstrip()[:1] in (b"[", b"{") and not _looks_like_line_object(raw_line):
                        yield from _json_document(b"".join([raw_line, stream.read()]), line_no, fmt)
                        return
            yield from _json_value(raw_line, line_no, fmt)
    except GZIP_ERRORS as exc:
        yield _gzip_reject(line_no, exc)
        return
    if inp.gzip_error is not None:
        yield _gzip_reject(line_no, inp.gzip_error)


def _gzip_reject(line_no: int, exc: Exception) -> Reject:
    return Reject(line_no + 1, None, f"truncated or corrupt gzip data after line {line_no} (the rows before it were loaded): {exc}")


def _looks_like_line_object(raw_line: bytes) -> bool:
    """A complete-looking single-line object (starts with { and ends with }) that failed to parse is a bad line
    of a JSON-lines file, not the start of a multi-line document."""
    stripped = raw_line.strip()
    return stripped.startswith(b"{") and stripped.endswith(b"}") and len(stripped) > 2


def _json_document(data: bytes, line: int, fmt: str) -> Iterator[Bundle | Reject | Skip]:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        # not one document either: treat it as JSON lines so every good line still loads
        lines = data.split(b"\n")
        if lines and not lines[-1].strip():
            lines.pop()  # the end of the last line, not a line of its own
        for offset, raw_line in enumerate(lines):
            if raw_line.strip():
                yield from _json_value(raw_line, line + offset, fmt)
            else:
                yield Skip(line + offset, "blank line")
        return
    if isinstance(value, list):
        if not value:
            yield Skip(line, "empty JSON array")
        for i, item in enumerate(value):
            yield from _dispatch(item, line, fmt, f"[{i}]")
    else:
        yield from _dispatch(value, line, fmt, "document")


def _json_value(raw_line: bytes, line: int, fmt: str) -> Iterator[Bundle | Reject | Skip]:
    page = None
    if fmt != "v1":
        try:  # the common case, a raw twarc2 page: only the used fields are decoded, typed
            page = typed_pages.decode_page(raw_line)
        except (typed_pages.DecodeError, typed_pages.ValidationError):
            page = None
    if page is not None:
        items = twarc2.read_page(page, line)
    else:
        try:
            value = _decode_any(raw_line)
        except orjson.JSONDecodeError as exc:
            reason = "not valid UTF-8" if "utf-8" in str(exc).lower() else f"malformed JSON: {exc}"
            yield Reject(line, None, reason, raw_line[:500].decode("utf-8", "replace"))
            return
        items = _dispatch_all(value, line, fmt)
    for item in items:
        if type(item) is Reject and not item.raw:
            item.raw = raw_line[:500].decode("utf-8", "replace")
        yield item


def _decode_any(raw_line: bytes):
    """The whole JSON value; integers of any width stay integers (orjson would turn those past 64 bits into
    floats, and an id must stay exact). Malformed input raises orjson's error, whose text the rejects show."""
    try:
        return msgspec.json.decode(raw_line)
    except msgspec.DecodeError:
        return orjson.loads(raw_line)


def _dispatch_all(value, line: int, fmt: str) -> Iterator[Bundle | Reject | Skip]:
    if isinstance(value, list):
        if not value:
            yield Skip(line, "empty JSON array")
        for i, item in enumerate(value):
            yield from _dispatch(item, line, fmt, f"[{i}]")
    else:
        yield from _dispatch(value, line, fmt, "line")


def _dispatch(obj, line: int, fmt: str, where: str) -> Iterator[Bundle | Reject | Skip]:
    if not isinstance(obj, dict):
        yield Reject(line, where, f"expected a JSON object, got {type(obj).__name__}")
        return
    if fmt in ("auto", "v1"):
        if "statuses" in obj:
            yield from v1.read_search(obj, line)
            return
        if v1.is_tweet(obj):
            yield from v1.read_tweet(obj, line, "tweet" if where in ("line", "document") else where)
            return
        kind = v1.stream_message(obj)
        if kind:
            yield Skip(line, f"v1.1 stream message ({kind}), not a tweet")
            return
    if fmt in ("auto", "twarc2"):
        if twarc2.is_page(obj):
            yield from twarc2.read_page(obj, line)
            return
        if twarc2.is_flat_tweet(obj):
            yield from twarc2.read_flat(obj, line)
            return
    if "action" in obj and "id" in obj and "text" not in obj:
        yield Skip(line, f"compliance record ({obj.get('action')}), not a tweet")
        return
    if where == "document":
        yield Skip(line, f"JSON document without tweets (keys: {', '.join(sorted(map(str, obj))[:10])})")
        return
    expected = {"auto": "a twarc2 page or tweet, or a v1.1 tweet", "twarc2": "a twarc2 page or tweet", "v1": "a v1.1 tweet"}.get(fmt, fmt)
    yield Reject(line, where, f"not {expected} (keys: {', '.join(sorted(map(str, obj))[:10])})")


def _csv_rows(inp: OpenInput, layout: tabular.Layout) -> Iterator[Bundle | Reject | Skip]:
    text = io.TextIOWrapper(inp.stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    inp.closers.insert(0, _Detach(text))
    reader = csv.reader(text)
    header: list[str] | None = None
    line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = reader.line_num
            yield Reject(line, None, f"CSV error: {exc}")
            continue
        except GZIP_ERRORS as exc:
            yield _gzip_reject(reader.line_num, exc)
            return
        line = reader.line_num
        if header is None:
            header = [c.strip().lower() for c in cells]
            continue
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            yield Skip(line, "blank line")
            continue
        if len(cells) != len(header):
            yield Reject(line, None, f"expected {len(header)} columns, got {len(cells)}", _raw(cells))
            continue
        bad = _non_utf8_column(cells, header)
        if bad is not None:
            yield Reject(line, bad, "not valid UTF-8 (undecodable bytes)", _raw(cells))
            continue
        bundle = Bundle(line=line)
        try:
            layout.read_row(dict(zip(header, cells)), bundle)
        except BadValue as exc:
            yield Reject(line, exc.field, exc.reason, _raw(cells))
            continue
        yield bundle
    if inp.gzip_error is not None:
        yield _gzip_reject(line, inp.gzip_error)
    elif header is None:
        yield Skip(0, "empty file")


class _Detach:
    """Detach the text wrapper on close so it does not close the binary stream twice."""

    def __init__(self, wrapper: io.TextIOWrapper):
        self.wrapper = wrapper

    def close(self) -> None:
        try:
            self.wrapper.detach()
        except ValueError:
            pass


def _non_utf8_column(cells: list[str], header: list[str]) -> str | None:
    try:
        "".join(cells).encode("utf-8")
        return None
    except UnicodeEncodeError:
        for name, cell in zip(header, cells):
            try:
                cell.encode("utf-8")
            except UnicodeEncodeError:
                return name
        return None


def _raw(cells: list[str]) -> str:
    return ",".join(cells)[:500].encode("utf-8", "replace").decode("utf-8")
