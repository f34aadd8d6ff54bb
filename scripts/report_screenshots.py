#!/usr/bin/env python3
"""Screenshots of an HTML report's views (interactive graph with a dossier, timeline, member list) into
docs/screenshots/, taken with the system's headless Chromium over the DevTools protocol.

    .venv/bin/coordgraph demo --scale 0.1            # writes <out>/report.html
    .venv/bin/python scripts/report_screenshots.py <out>/report.html
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from cdp import Browser, chromium_path  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", type=Path, help="The HTML report to photograph.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="Folder for the PNG files.")
    args = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    browser = Browser(executable)
    try:
        browser.open(args.report.resolve().as_uri(), "document.documentElement.getAttribute('data-report-ready') === '1'")
        # The first cluster's graph, its highest-scoring member clicked so its evidence is highlighted.
        point = browser.evaluate("""(() => {
            const box = document.querySelector('.cluster-graph');
            if (!box || !box.cy) return null;
            box.scrollIntoView({block: 'start'}); window.scrollBy(0, -40);
            const top = box.cy.nodes().max(n => n.data('score') || 0).ele;
            const rect = box.querySelector('.cy').getBoundingClientRect();
            const p = top.renderedPosition();
            return [rect.left + p.x, rect.top + p.y];
        })()""")
        if point:
            browser.mouse("click", *point)
            browser.pump(0.5)
            browser.screenshot(args.out / "06-report-graph.png")
            print(args.out / "06-report-graph.png")
        for name, selector in (("07-report-timeline.png", "img[alt^='Timeline']"),
                               ("08-report-members.png", ".member-list")):
            found = browser.evaluate(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
                if (!e) return false; e.scrollIntoView({{block: 'start'}}); window.scrollBy(0, -50); return true; }})()""")
            if found:
                browser.pump(0.3)
                browser.screenshot(args.out / name)
                print(args.out / name)
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
