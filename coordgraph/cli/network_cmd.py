"""``coordgraph network``: one co-action signal's account network written to CSV, GraphML or GEXF."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import db
from ..config import Connection
from ..errors import CoordgraphError
from .common import connected, console


class Compat(str, Enum):
    native = "native"
    coortweet = "coortweet"
    cnt = "cnt"


class Format(str, Enum):
    csv = "csv"
    graphml = "graphml"
    gexf = "gexf"


def register(app: typer.Typer) -> None:
    """Add ``network`` to the root app."""
    app.command(name="network")(network)


@connected
def network(
    signal: Annotated[str, typer.Argument(help="Co-action signal: co_retweet, co_reply, co_quote, co_tweet, co_hashtag, co_url, co_domain, co_mention or co_image.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write; the format follows its extension (.csv, .graphml, .gexf) unless --format is given.")],
    compat: Annotated[Compat, typer.Option("--compat", help="Whose definition: native (coordgraph's pairs, as detect uses), coortweet (CooRTweet 2.1.3) or cnt (coordination-network-toolkit). CSV output keeps the peer's own columns.")] = Compat.native,
    window: Annotated[float, typer.Option("--window", help="Co-action window in seconds (inclusive; whole seconds in the compat modes).", min=0)] = 60,
    min_participation: Annotated[Optional[int], typer.Option("--min-participation", help="CooRTweet's min_participation (coortweet mode only; default 2).", min=0)] = None,
    min_weight: Annotated[Optional[int], typer.Option("--min-weight", help="Minimum edge weight: distinct shared objects per pair (native, default 2, as detect's --min-repeat) or the toolkit's --min_edge_weight (cnt, default 1).", min=1)] = None,
    keep_loops: Annotated[bool, typer.Option("--keep-loops", help="CooRTweet's remove_loops=FALSE: keep an account's own repeated shares as self-loops (coortweet mode only).")] = False,
    since: Annotated[Optional[str], typer.Option("--since", help="Only actions from this ISO date or time on (UTC unless a zone is given).", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Only actions up to this ISO date (the whole day) or time.", show_default=False)] = None,
    fmt: Annotated[Optional[Format], typer.Option("--format", help="Output format, overriding the file extension.", show_default=False)] = None,
    *,
    conn: Connection,
) -> None:
    """Write one co-action signal's account network (edges with weights, first/last times and, in native mode,
    the shared objects) as CSV, GraphML or GEXF, in coordgraph's definition or a peer tool's."""
    from ..analytics.network import export_network, format_for
    from ..analytics.signals import coaction
    from ..timerange import parse_range

    if signal not in coaction.COACTION_SIGNALS:
        raise CoordgraphError(f"unknown co-action signal {signal!r}", f"Known: {', '.join(coaction.COACTION_SIGNALS)}.")
    if min_participation is not None and compat is not Compat.coortweet:
        raise CoordgraphError("--min-participation is CooRTweet's parameter", "Use it with --compat coortweet, or --min-weight.")
    if min_weight is not None and compat is Compat.coortweet:
        raise CoordgraphError("CooRTweet has no minimum edge weight here", "Use --min-participation with --compat coortweet.")
    if keep_loops and compat is not Compat.coortweet:
        raise CoordgraphError("--keep-loops applies to --compat coortweet only",
                              "The toolkit's rows always include self-loops; coordgraph never pairs an account with itself.")
    if compat is not Compat.native and window != int(window):
        raise CoordgraphError(f"the peers compare whole seconds; --window {window} is not whole", "Give a whole number of seconds.")
    try:
        chosen_format = format_for(output, fmt.value if fmt else None)
    except ValueError as exc:
        raise CoordgraphError(str(exc)) from exc
    time_range = parse_range(since, until)
    minimum = min_participation if compat is Compat.coortweet else min_weight
    with db.session_for(conn, require_gds=False) as driver:
        with console.status(f"computing the {signal} network ({compat.value})"):
            _, n_edges, n_accounts = export_network(driver, signal, output, compat.value, chosen_format, window, minimum,
                                                    remove_loops=not keep_loops, time_range=time_range,
                                                    database=conn.database)
    console.print(f"{n_edges:,} edge(s) between {n_accounts:,} account(s) written to {output} ({chosen_format}, {compat.value}).")
