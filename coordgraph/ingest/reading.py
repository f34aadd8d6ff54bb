"""Reading inputs into chunks of bundles, in a separate process when the inputs are large.

Parsing JSON and building bundles is the heaviest Python work of a load. Run in the same process as the writer
it competes for the interpreter lock with the thread that talks to Neo4j, and the database waits. So large
inputs (and stdin) are read by a child process that streams :class:`Chunk` messages through a pipe (memory stays
flat: the child blocks while the pipe is full), while the parent only writes. Small inputs are read in-process:
the same generator, :func:`read_inputs`, produces the messages either way.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import orjson

from ..errors import InputError
from .records import Bundle, Reject, Skip
from .sources import UnknownFormat, detect, open_input
from .values import TimeBounds, plausible_times

PROCESS_MIN_BYTES = 16 << 20  # below this much input a child process costs more (start-up) than it saves
READER_ENV = "COORDGRAPH_INGEST_READER"  # "process", "inline" or "auto" (the default)
PIPE_BUFFER = 1 << 20         # parent-side read buffer of the pipe from the child


@dataclass(slots=True)
class Opened:
    """Input ``index`` was opened: its recognised ``format``, or ``error`` when the format is unknown."""

    index: int
    format: str | None
    error: str | None
    size: int | None


@dataclass(slots=True)
class Chunk:
    """Consecutive rows of input ``index``: bundles to write, rejected rows, skip reasons, rows read, bytes read."""

    index: int
    bundles: list[Bundle] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    skips: Counter = field(default_factory=Counter)
    rows: int = 0
    position: int = 0

    def add(self, item: Bundle | Reject | Skip) -> int:
        """Count one parsed row into the chunk; its weight toward the batch size (a bundle's events, else 1)."""
        self.rows += 1
        if type(item) is Bundle:
            self.bundles.append(item)
            return item.events or 1
        if type(item) is Reject:
            self.rejects.append(item)
        else:
            self.skips[item.reason] += 1
        return 1


@dataclass(slots=True)
class Finished:
    """Input ``index`` was read to its end."""

    index: int
    position: int


@dataclass(slots=True)
class _Failed:
    """The child process raised: the exception (re-raised in the parent) and its traceback text."""

    error: BaseException
    trace: str


@dataclass(frozen=True)
class TimeLimits:
    """What decides the plausible times of a load (see :class:`.values.TimeBounds`): the load's own time and the
    user's overrides, as ISO 8601 text so they travel to the reader process."""

    load_time: str
    earliest: str | None = None
    latest: str | None = None

    def bounds(self, fmt: str) -> TimeBounds:
        """The bounds for an input recognised as ``fmt``."""
        parse = datetime.fromisoformat
        return TimeBounds.for_format(fmt, parse(self.load_time), parse(self.earliest) if self.earliest else None,
                                     parse(self.latest) if self.latest else None)

    @classmethod
    def now(cls, earliest: datetime | None = None, latest: datetime | None = None) -> "TimeLimits":
        return cls(datetime.now(timezone.utc).isoformat(), earliest.isoformat() if earliest else None,
                   latest.isoformat() if latest else None)


_END_OF_ROWS = object()


def read_inputs(paths: list[str], fmt: str, batch_size: int, limits: TimeLimits | None = None) -> Iterator[Opened | Chunk | Finished]:
    """Open, recognise and read each path in turn, yielding ``Opened``, then ``Chunk``\\ s of about
    ``batch_size`` events (or rows, for rejected and skipped ones), then ``Finished``. Each input's rows are
    parsed with the plausible times of its format in force (``limits``, default: now, no overrides)."""
    limits = limits or TimeLimits.now()
    for index, path in enumerate(paths):
        inp = open_input(path)
        try:
            try:
                reader = detect(inp, fmt)
            except UnknownFormat as exc:
                yield Opened(index, None, str(exc), inp.size)
                continue
            yield Opened(index, reader.format, None, inp.size)
            bounds = limits.bounds(reader.format)
            chunk, weight = Chunk(index), 0
            while True:
                with plausible_times(bounds):  # only while this input's rows are parsed, not while the caller runs
                    item = next(reader.rows, _END_OF_ROWS)
                if item is _END_OF_ROWS:
                    break
                weight += chunk.add(item)
                if weight >= batch_size:
                    chunk.position = inp.position()
                    yield chunk
                    chunk, weight = Chunk(index), 0
            if chunk.rows:
                chunk.position = inp.position()
                yield chunk
            yield Finished(index, inp.size or inp.position())
        finally:
            inp.close()


def reads_in_child(paths: list[str], in_process: bool | None = None) -> bool:
    """Whether :func:`stream_inputs` reads ``paths`` in a child process: not when ``in_process``; by default (None)
    as ``$COORDGRAPH_INGEST_READER`` says: ``process``, ``inline``, or ``auto`` (the default): a child for stdin
    (its size is unknown) or :data:`PROCESS_MIN_BYTES` of input or more."""
    if in_process is not None:
        return not in_process
    mode = os.environ.get(READER_ENV, "auto").strip().lower()
    if mode not in ("auto", "process", "inline"):
        raise InputError(f"{READER_ENV}={mode!r} is not understood", "Use process, inline or auto.")
    if mode != "auto":
        return mode == "process"
    return "-" in paths or sum(os.path.getsize(p) for p in paths) >= PROCESS_MIN_BYTES


def stream_inputs(paths: list[str], fmt: str, batch_size: int, in_process: bool | None = None,
                  limits: TimeLimits | None = None) -> Iterator[Opened | Chunk | Finished]:
    """The messages of :func:`read_inputs`, produced by a child process when :func:`reads_in_child` says so.
    Closing the iterator stops the child."""
    limits = limits or TimeLimits.now()
    if not reads_in_child(paths, in_process):
        yield from read_inputs(paths, fmt, batch_size, limits)
        return
    # A plain `python -c` child, not multiprocessing: that would re-import the parent's __main__ (the whole CLI,
    # the Neo4j driver) in the child. The child inherits stdin (for "-") and gets its job on a pipe of its own.
    # Its stdout is the bounded queue: it blocks once the parent stops reading, and ends on a broken pipe when the
    # parent is gone (even after a SIGKILL).
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    job_read, job_write = os.pipe()
    try:
        child = subprocess.Popen([sys.executable, "-c", _CHILD_MAIN, str(job_read)], stdout=subprocess.PIPE, env=env,
                                 bufsize=PIPE_BUFFER, pass_fds=(job_read,))
    except BaseException:
        os.close(job_write)
        raise
    finally:
        os.close(job_read)
    try:
        with os.fdopen(job_write, "wb") as job:
            job.write(orjson.dumps({"paths": paths, "format": fmt, "batch_size": batch_size, "limits": vars(limits)}))
        while True:
            message = _read_frame(child.stdout)
            if message is None:
                code = child.wait()
                raise RuntimeError(f"the input reader process ended unexpectedly (exit code {code})")
            if message == _END:
                break
            if type(message) is _Failed:
                raise message.error from RuntimeError("in the input reader process:\n" + message.trace)
            yield message
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()


_CHILD_MAIN = f"import sys; from {__name__} import _produce; sys.exit(_produce())"
_END = "end"
_LENGTH = struct.Struct("<Q")


def _read_frame(stream):
    """The next pickled message, or None at a premature end of the pipe."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    body = stream.read(length)
    if len(body) < length:
        return None
    return pickle.loads(body)


def _write_frame(stream, message) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(body)))
    stream.write(body)


def _produce() -> int:
    """Child process: read the job from the pipe named on the command line, write every message to stdout, then
    the end marker."""
    with os.fdopen(int(sys.argv[1]), "rb") as job_pipe:
        job = orjson.loads(job_pipe.read())
    out = sys.stdout.buffer
    try:
        for message in read_inputs(job["paths"], job["format"], job["batch_size"], TimeLimits(**job["limits"])):
            _write_frame(out, message)
        _write_frame(out, _END)
        out.flush()
    except BrokenPipeError:
        return 1  # the parent is gone: nobody will read
    except BaseException as exc:  # noqa: BLE001 - every failure is reported to the parent, which re-raises it
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001 - an exception that does not survive pickling is sent as text
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        try:
            _write_frame(out, _Failed(exc, traceback.format_exc()))
            out.flush()
        except BrokenPipeError:
            pass
        return 1
    return 0

