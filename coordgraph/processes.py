"""Worker processes for Python work that would otherwise hold the interpreter's lock: spawned (never forked: the
parent may hold a database driver with threads) and importing only what their work needs."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def spawn_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes. Submit its first work inside :func:`main_module_hidden`: the
    processes start then."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """While worker processes are spawned, hide the parent's main module from :mod:`multiprocessing`, which
    would otherwise run it again in each worker: for the ``coordgraph`` command that is the whole CLI with pandas,
    numpy and scipy, about 230 MB per worker that reads nothing with them (the workers import what their work
    needs)."""
    main = sys.modules["__main__"]
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)
