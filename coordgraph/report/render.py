"""Turn collected report data (see :mod:`coordgraph.report.data`) into files: HTML, Markdown, JSON, CSV,
takedown CSV, GEXF and GraphML."""

from __future__ import annotations

import base64
import csv
import html
import re
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import orjson
from markupsafe import Markup

from . import interactive, pdf, plots
from .data import evidence_summary
from .evidence_text import post_url
from .shares import has_uncertainty, share_cell

# Keys of the collected data that only feed figures; the JSON export leaves them out.
FIGURE_ONLY = ("activity",)

_TEMPLATES = Path(__file__).with_name("templates")


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _num(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.{digits}g}"
    return str(value)


def _short_time(value: Any) -> str:
    """An ISO date-time cut to the minute ('2020-06-01 12:34'); the full value stays in the JSON export."""
    if not value:
        return "–"
    text = str(value)
    return text[:16].replace("T", " ") if len(text) >= 16 and text[10:11] == "T" else text


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=_pct, num=_num, dt=_short_time, md=_md_cell, code=_md_code, summary=evidence_summary,
                       share=share_cell, post_url=post_url,
                       tojson_pretty=lambda v: orjson.dumps(v, option=orjson.OPT_INDENT_2, default=str).decode())
    return env


def _md_cell(value: Any) -> str:
    """Text from data made inert in Markdown: HTML escaped, table pipes, emphasis and links neutralised."""
    text = "" if value is None else str(value)
    text = html.escape(text, quote=False).replace("\r", " ").replace("\n", " ")
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)


def _md_code(value: Any) -> str:
    """Text for inside a Markdown code span: no backticks or line breaks that could end it."""
    return ("" if value is None else str(value)).replace("`", "'").replace("\r", " ").replace("\n", " ")


def flagged_accounts(report: dict) -> list[tuple[dict, dict]]:
    """(cluster, account) for every member of a flagged cluster, in report order."""
    return [(c, a) for c in report["clusters"] if c["coordinated"] for a in c["accounts"]]


def to_json(report: dict, path: Path) -> None:
    """The JSON report contract (validated by ``report.schema.json``)."""
    data = {k: v for k, v in report.items() if k not in FIGURE_ONLY}
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str))


def _figures(report: dict, clusters: list[dict]) -> dict[str, Any]:
    """Every figure of the report as base64 PNG (None where there is nothing to draw)."""
    return {
        "weekly": plots.weekly_share(report["impact"]["weekly"]),
        "creation": plots.creation_times(report["clusters"]),
        "clusters": {
            c["number"]: {
                "graph": plots.coordination_graph(c),
                "timeline": plots.cluster_timeline(c, report["activity"], report["impact"]["weekly"]),
                "latency": plots.reaction_latency(c, report["benchmark_latency"]),
                "activity": plots.activity_timeline(c["number"], report["activity"]),
            }
            for c in clusters
        },
    }


def html_text(report: dict) -> str:
    """The HTML report as text: data escaped, figures inline, the interactive graphs' data as escaped JSON and
    the two scripts allowed by hash in the Content-Security-Policy."""
    clusters = [c for c in report["clusters"] if c["coordinated"]]
    library, app = interactive.scripts()
    template = _environment(autoescape=True).get_template("report.html.j2")
    return template.render(
        r=report, flagged=clusters, figures=_figures(report, clusters), csp=interactive.content_security_policy(),
        page_data=interactive.page_data(clusters), library_js=Markup(library), app_js=Markup(app),
        uncertainty=has_uncertainty(report["impact"]["period"]),
    )


def to_html(report: dict, path: Path) -> None:
    """One self-contained HTML file: text from data escaped, figures as inline base64 PNG, interactive graphs."""
    path.write_text(html_text(report), encoding="utf-8")


def to_pdf(report: dict, path: Path) -> None:
    """A PDF of the HTML report printed by headless Chromium with the print stylesheet."""
    pdf.print_html(html_text(report), path)


def to_markdown(report: dict, path: Path) -> None:
    """Markdown for an article or a ticket; text from data is escaped. The figures (cluster graphs, timelines,
    weekly share, creation times) are written as PNG files into ``<name>_figures/`` beside it."""
    template = _environment(autoescape=False).get_template("report.md.j2")
    flagged = [c for c in report["clusters"] if c["coordinated"]]
    figures = _figures(report, flagged)
    folder = path.with_name(path.stem + "_figures")
    files: dict[str, str] = {}

    def save(name: str, data: str | None) -> None:
        if data:
            folder.mkdir(exist_ok=True)
            (folder / name).write_bytes(base64.b64decode(data))
            files[name] = f"{folder.name}/{name}"

    save("weekly-share.png", figures["weekly"])
    save("account-creation.png", figures["creation"])
    for number, fig in figures["clusters"].items():
        for kind in ("graph", "timeline", "latency"):
            save(f"cluster-{number}-{kind}.png", fig[kind])
    path.write_text(template.render(r=report, flagged=flagged, files=files,
                                    uncertainty=has_uncertainty(report["impact"]["period"])), encoding="utf-8")


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (a name may start with '=' or '@')."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(report: dict, path: Path) -> None:
    """One row per flagged account: cluster, scores, status and its strongest evidence."""
    header = ["run_id", "cluster", "cluster_size", "cluster_p_value", "cluster_q_value", "account_id", "username",
              "name", "score", "status", "created_at", "strongest_signal", "strongest_partner_id",
              "strongest_partner_username", "strongest_weight", "strongest_count", "evidence_summary",
              "attached_by_membership_test", "run_skipped"]
    skipped = "; ".join(f"{s['stage']}: {s['reason']}" if s["reason"] else s["stage"] for s in report["run"].get("skipped") or [])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for c, a in flagged_accounts(report):
            s = a["strongest"] or {}
            writer.writerow([_safe_cell(v) for v in (
                report["run"]["id"], c["number"], c["size"], c["p_value"], c["q_value"], a["id"], a["username"],
                a["name"], a["score"], a["status"], a["created_at"], s.get("signal"), s.get("partner"),
                s.get("partner_username"), s.get("weight"), s.get("count"), evidence_summary(a),
                "yes" if a.get("attached") else "no", skipped)])


def to_takedown(report: dict, path: Path) -> None:
    """A list a platform can act on: id, handle, cluster (run/number) and a one-line evidence summary."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "handle", "cluster", "evidence_summary"])
        for c, a in flagged_accounts(report):
            p = "–" if c["p_value"] is None else f"{c['p_value']:.2g}"
            summary = f"cluster of {c['size']} accounts (p={p}); {evidence_summary(a)}"
            writer.writerow([_safe_cell(v) for v in (a["id"], a["username"], c["id"], summary)])


def coordination_network(report: dict) -> nx.Graph:
    """Members of the run's clusters and their evidence as one undirected graph (for Gephi and friends).

    Node attributes: label, username, cluster, coordinated, score, status, created_at. Edge attributes:
    weight (sum over signals), count, signals (comma-separated) and ``w_<signal>`` per signal.
    """
    graph = nx.Graph(run_id=report["run"]["id"], coordgraph_version=report["coordgraph_version"])
    for c in report["clusters"]:
        for a in c["accounts"]:
            graph.add_node(a["id"], label=a["username"] or a["id"], username=a["username"] or "", cluster=c["number"],
                           coordinated=c["coordinated"], score=float(a["score"] or 0.0), status=a["status"] or "unknown",
                           created_at=a["created_at"] or "")
        for e in c["edges"]:
            u, v, w = e["source"], e["target"], float(e["weight"] or 0.0)
            if not graph.has_edge(u, v):
                graph.add_edge(u, v, weight=0.0, count=0, signals="")
            data = graph[u][v]
            data["weight"] += w
            data["count"] += int(e["count"] or 0)
            data["signals"] = ",".join(sorted(set(filter(None, data["signals"].split(","))) | {e["signal"]}))
            key = "w_" + re.sub(r"\W", "_", e["signal"])
            data[key] = data.get(key, 0.0) + w
    return graph


def to_gexf(report: dict, path: Path) -> None:
    """GEXF 1.2 for Gephi."""
    nx.write_gexf(coordination_network(report), path)


def to_graphml(report: dict, path: Path) -> None:
    """GraphML (Gephi, Cytoscape, igraph, networkx)."""
    nx.write_graphml(coordination_network(report), path)


WRITERS = {
    "html": to_html,
    "pdf": to_pdf,
    "md": to_markdown,
    "json": to_json,
    "csv": to_csv,
    "takedown": to_takedown,
    "gexf": to_gexf,
    "graphml": to_graphml,
}
