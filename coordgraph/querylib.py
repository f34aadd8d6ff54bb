"""The investigators' library of saved Cypher queries (``coordgraph/cypher/library/*.cypher``).

Each file starts with a comment header that both people and this module read::

    // What the query shows (one or more lines).
    // Parameters:
    //   run_id              run id; null = the latest run
    //   account (required)  account id, handle or @handle
    // :param run_id => null
    // :param account => "SomeHandle"

The ``:param`` lines are what to paste into Neo4j Browser before the query; their values (JSON literals,
which are also Cypher literals) are the defaults used by ``coordgraph query`` for parameters not marked
``(required)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import orjson
from neo4j import Driver

from . import cypher
from .adhoc import run_query
from .errors import CoordgraphError

FOLDER = "library"
_PARAM_DOC = re.compile(r"^//\s{2,}(?P<name>[A-Za-z_]\w*)(?P<required>\s+\(required\))?\s+(?P<text>.+)$")
_PARAM_VALUE = re.compile(r"^//\s*:param\s+(?P<name>[A-Za-z_]\w*)\s*=>\s*(?P<value>.+?);?\s*$")


@dataclass
class Parameter:
    """One parameter of a saved query."""

    name: str
    description: str = ""
    required: bool = False
    example: Any = None


@dataclass
class SavedQuery:
    """A saved query: its name, description, parameters and Cypher text."""

    name: str
    description: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    text: str = ""

    def defaults(self) -> dict[str, Any]:
        """Values used for parameters that are not given: the header examples of non-required parameters."""
        return {p.name: p.example for p in self.parameters.values() if not p.required}

    def browser_params(self) -> str:
        """The ``:param`` lines to paste into Neo4j Browser."""
        return "\n".join(f":param {p.name} => {orjson.dumps(p.example).decode()}" for p in self.parameters.values())


def parse(name: str, text: str) -> SavedQuery:
    """Read the header of one saved query (see the module docstring for the format)."""
    description: list[str] = []
    params: dict[str, Parameter] = {}
    in_params = False
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        value = _PARAM_VALUE.match(line)
        if value:
            try:
                example = orjson.loads(value["value"])
            except orjson.JSONDecodeError as exc:
                raise ValueError(f"{name}: :param {value['name']} is not a JSON literal: {value['value']}") from exc
            params.setdefault(value["name"], Parameter(value["name"])).example = example
            continue
        body = line[2:].strip()
        if body.lower().startswith("parameters:"):
            in_params = True
            continue
        doc = _PARAM_DOC.match(line) if in_params else None
        if doc:
            p = params.setdefault(doc["name"], Parameter(doc["name"]))
            p.description, p.required = doc["text"].strip(), bool(doc["required"])
        elif not in_params and body:
            description.append(body)
    return SavedQuery(name=name, description=" ".join(description), parameters=params, text=text)


def names() -> list[str]:
    """Names of the saved queries."""
    return [n.split("/", 1)[1] for n in cypher.names(FOLDER)]


def get(name: str) -> SavedQuery:
    """The saved query called ``name``; :class:`CoordgraphError` listing the choices when there is none."""
    if name not in names():
        raise CoordgraphError(f"No saved query named {name!r}.", f"Saved queries: {', '.join(names())}.")
    return parse(name, cypher.load(f"{FOLDER}/{name}"))


def catalogue() -> list[SavedQuery]:
    """Every saved query, parsed."""
    return [get(n) for n in names()]


def bind(query: SavedQuery, params: dict[str, Any] | None) -> dict[str, Any]:
    """The full parameter map for ``query``: defaults, overridden by ``params``; errors on unknown or missing ones."""
    params = dict(params or {})
    unknown = sorted(set(params) - set(query.parameters))
    if unknown:
        raise CoordgraphError(f"Query {query.name!r} has no parameter {', '.join(unknown)}.",
                              f"Its parameters: {', '.join(query.parameters) or 'none'}.")
    missing = [p.name for p in query.parameters.values() if p.required and p.name not in params]
    if missing:
        example = " ".join(f"--param {m}={orjson.dumps(query.parameters[m].example).decode()}" for m in missing)
        raise CoordgraphError(f"Query {query.name!r} needs {', '.join(missing)}.", f"For example: {example}")
    return {**query.defaults(), **params}


def run(driver: Driver, name: str, params: dict[str, Any] | None = None,
        database: str | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """Run saved query ``name`` with ``params`` (defaults filled in); return column names and rows."""
    query = get(name)
    return run_query(driver, query.text, bind(query, params), database=database)
