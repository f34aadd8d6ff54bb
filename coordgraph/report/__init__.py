"""Cluster reports and exports (HTML, Markdown, JSON, CSV, takedown CSV, GEXF, GraphML)."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from .. import runs
from ..errors import CoordgraphError
from ..timerange import for_run
from .formats import FORMATS

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
STYLE_PATH = Path(__file__).with_name("coordgraph.grass")

__all__ = ["FORMATS", "SCHEMA_PATH", "STYLE_PATH", "collect", "write_report"]


def write_report(driver: Driver, run_id: str | None, fmt: str, path: str | Path, database: str | None = None,
                 since: str | None = None, until: str | None = None) -> Path:
    """Write the report of run ``run_id`` (anything :func:`coordgraph.runs.resolve` accepts: a full id, a unique
    prefix, ``latest`` or ``latest~N``; the latest run when None) in format ``fmt`` to ``path``.

    ``fmt`` is one of :data:`FORMATS`: ``html`` (self-contained, figures inline), ``md``, ``json`` (the
    contract in ``report.schema.json``), ``csv`` (one row per flagged account), ``takedown`` (id, handle,
    cluster, evidence summary), ``gexf`` or ``graphml`` (the coordination network). ``since``/``until`` (ISO
    dates or times) bound the impact and activity sections; by default the run's own range (see
    :func:`coordgraph.timerange.for_run`, which refuses a range reaching outside it). Returns the path written.
    """
    # the data and rendering modules (matplotlib, jinja2) load when a report is written, not with every command
    from .data import collect
    from .render import WRITERS

    if fmt not in WRITERS:
        raise CoordgraphError(f"Unknown report format {fmt!r}.", f"Use one of: {', '.join(FORMATS)}.")
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise CoordgraphError(f"Folder {path.parent} does not exist.", "Create it or choose another -o path.")
    resolved = runs.resolve(driver, run_id, database)
    time_range = for_run(runs.time_range(driver, resolved, database), since, until, resolved)
    report = collect(driver, resolved, database=database, time_range=time_range)
    WRITERS[fmt](report, path)
    return path


def __getattr__(name: str):
    if name == "collect":  # loaded on first use, as in write_report
        from .data import collect

        return collect
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
