"""Printing rows: a rich table, CSV or JSON lines (``--format``), shared by the commands that return rows."""

from __future__ import annotations

import csv
import sys
from enum import Enum

import orjson
from rich.table import Table

from .common import console


class OutputFormat(str, Enum):
    """What ``--format`` accepts for row output."""

    table = "table"
    csv = "csv"
    json = "json"


def print_rows(keys: list[str], rows: list[dict], fmt: str) -> None:
    """Print rows as a rich table, CSV or JSON lines."""
    if fmt == "json":
        for row in rows:
            sys.stdout.write(orjson.dumps(row, default=str).decode() + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(keys)
        for row in rows:
            writer.writerow([_cell(row[k]) for k in keys])
    else:
        table = Table(*keys, show_lines=False)
        for row in rows:
            table.add_row(*[_cell(row[k]) for k in keys])
        console.print(table)
        console.print(f"{len(rows)} row(s)", style="dim")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return orjson.dumps(value, default=str).decode()
    return str(value)
