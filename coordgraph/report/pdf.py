"""PDF reports: the HTML report printed by headless Chromium (``--print-to-pdf``) with its print stylesheet."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import CoordgraphError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, in a throw-away profile, with every background fetch off: the page itself forbids any request.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
)
TIMEOUT_S = 180


def find_chromium() -> str:
    """The Chromium executable: ``COORDGRAPH_CHROMIUM`` when set, else the first of the usual names on PATH."""
    configured = os.environ.get("COORDGRAPH_CHROMIUM")
    if configured:
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise CoordgraphError(
        "A PDF report needs Chromium, which was not found.",
        "Install it (Debian/Ubuntu: `apt-get install chromium`), set COORDGRAPH_CHROMIUM to its path, "
        "or write --format html and print it from a browser.",
    )


def print_html(html: str, path: Path) -> None:
    """Write ``html`` to a temporary file and print it to ``path`` as PDF."""
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="coordgraph-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer",
                   f"--print-to-pdf={out}", page.as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise CoordgraphError(f"Chromium did not finish printing within {TIMEOUT_S} s.") from exc
        if result.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            tail = (result.stderr or "").strip().splitlines()[-3:]
            raise CoordgraphError(f"Chromium could not print the report (exit {result.returncode}).",
                                  " ".join(tail) or None)
        shutil.move(str(out), path)
