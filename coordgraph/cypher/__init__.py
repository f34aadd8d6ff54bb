"""Cypher lives in ``.cypher`` files beside this module and is loaded by name, e.g. ``load("schema")`` or
``load("ingest/accounts")``. Values are always passed as ``$parameters``, never formatted into the text."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_ROOT = resources.files(__name__)


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``<name>.cypher`` (``name`` may contain ``/`` for sub-folders)."""
    if not re.fullmatch(r"[a-z0-9_]+(/[a-z0-9_]+)*", name):
        raise ValueError(f"invalid Cypher file name: {name!r}")
    target = _ROOT
    parts = name.split("/")
    for part in parts[:-1]:
        target = target.joinpath(part)
    target = target.joinpath(parts[-1] + ".cypher")
    if not target.is_file():
        raise KeyError(f"no Cypher file named {name!r}")
    return target.read_text(encoding="utf-8")


def names(folder: str | None = None) -> list[str]:
    """Every Cypher file name (without ``.cypher``), optionally only those in ``folder``."""
    found: list[str] = []

    def walk(node, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir() and not child.name.startswith("__"):
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".cypher"):
                found.append(prefix + child.name[: -len(".cypher")])

    start = _ROOT if folder is None else _ROOT.joinpath(*folder.split("/"))
    walk(start, "" if folder is None else folder.rstrip("/") + "/")
    return sorted(found)


def statements(name: str) -> list[str]:
    """Split a multi-statement file (statements end with ``;`` at the end of a line); comments dropped."""
    text = "\n".join(line for line in load(name).splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in re.split(r";\s*$", text, flags=re.MULTILINE) if s.strip()]
