"""``coordgraph impact``: the share of each target's engagement written by flagged clusters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import db, runs
from ..analytics.impact import impact
from ..analytics.status import cluster_status
from ..config import Connection
from ..report.shares import has_uncertainty, share_cell
from ..timerange import for_run, parse_range
from .common import connected, console, err_console
from .output import OutputFormat, print_rows


def register(app: typer.Typer) -> None:
    """Add ``impact`` to the root app."""
    app.command(name="impact")(impact_command)


@connected
def impact_command(
    run: Annotated[Optional[str], typer.Option("--run", help="Run: an id, a unique id prefix, latest or latest~N (N runs before the latest); default the latest.", show_default=False)] = None,
    target: Annotated[Optional[str], typer.Option("--target", help="Only this target (handle, @handle or id).", show_default=False)] = None,
    weekly: Annotated[bool, typer.Option("--weekly", help="Per Monday-based UTC week, peak weeks marked.")] = False,
    accounts: Annotated[Optional[str], typer.Option("--accounts", help="Measure this comma-separated set of account ids instead of a run's clusters.", show_default=False)] = None,
    accounts_file: Annotated[Optional[Path], typer.Option("--accounts-file", help="Like --accounts, from a file with one account id per line ('#' starts a comment).", exists=True, dir_okay=False, show_default=False)] = None,
    confident_p: Annotated[float, typer.Option("--confident-p", help="The share without the least certain members keeps only members whose own p-value is at most this.", min=0.0, max=1.0)] = 0.001,
    status: Annotated[bool, typer.Option("--status", help="Also show each cluster's members by status (active/suspended/deleted).")] = False,
    since: Annotated[Optional[str], typer.Option("--since", help="Count only engagements (and target posts) from this ISO date or time on; default the run's own range.", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Count only engagements (and target posts) up to this ISO date (the whole day) or time; default the run's own range.", show_default=False)] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    *,
    conn: Connection,
) -> None:
    """Share of each target's retweets, replies and quotes written by each flagged cluster and by all
    flagged accounts together, over the whole period or per week. A run detected on a time range is measured
    on that range; --since/--until narrow it (a range reaching outside the run's is refused)."""
    ids = [a.strip() for a in accounts.split(",") if a.strip()] if accounts else None
    if accounts_file is not None:
        lines = accounts_file.read_text(encoding="utf-8").splitlines()
        ids = (ids or []) + [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]
    with db.session_for(conn, require_gds=False) as driver:
        run_id = runs.resolve(driver, run, conn.database) if ids is None else None
        if run_id is None:
            time_range = parse_range(since, until)
        else:
            time_range = for_run(runs.time_range(driver, run_id, conn.database), since, until, run_id)
        frame = impact(driver, run_id=run_id, target=target, weekly=weekly, account_ids=ids, database=conn.database,
                       confident_p=confident_p, time_range=time_range)
        statuses = cluster_status(driver, run_id, database=conn.database) if status and ids is None else None
    empty = time_range.bounded and not int(frame["engagements_total"].sum())
    if empty:
        err_console.print(f"[yellow]No engagement of the targets' posts in {time_range.describe()}:[/] every share "
                          "below is empty. Check the range against the times of the loaded data.", highlight=False)
    if fmt is not OutputFormat.table:
        rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        print_rows(list(frame.columns), rows, fmt.value)
        if statuses is not None:
            print_rows(list(statuses.columns), statuses.astype(object).to_dict(orient="records"), fmt.value)
        return
    title = f"Impact of run {frame['run_id'].iloc[0]}" if len(frame) and frame["run_id"].iloc[0] else "Impact of the account set"
    if time_range.bounded:
        title += f", {time_range.describe()}"
    table = Table(title=title)
    for col in ("target", "group", "accounts", *(["week"] if weekly else []), "retweets", "replies", "quotes", "all"):
        table.add_column(col, justify="right" if col not in ("target", "group", "week") else "left")
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    for row in records:
        cells = [f"@{row['target']}", row["group"], str(row["members"])]
        if weekly:
            cells.append(f"{row['week']}{' ★' if row['peak'] else ''}")
        for col in ("retweets", "replies", "quotes", "engagements"):
            cells.append(share_cell(row, col).replace(", ", "\n", 1).replace(", ", "\n"))
        table.add_row(*cells)
    console.print(table)
    if has_uncertainty(records):
        console.print("Each share: flagged/total, its 95 % interval (bootstrap over the target's posts), the "
                      f"confident share, counting only the members with p <= {confident_p:g}, and, when the clusters "
                      "held back accounts they could not confirm, the upper bound if those were counted too (the "
                      "range the evidence leaves open, not a finding about them).", style="dim")
    if weekly:
        console.print("★ peak week: among the highest weekly shares and above the whole-period share", style="dim")
    if statuses is not None:
        st = Table(title="Members by status")
        for col in statuses.columns:
            st.add_column(str(col))
        for row in statuses.astype(object).itertuples(index=False):
            st.add_row(*["" if v is None else str(v) for v in row])
        console.print(st)
