#!/usr/bin/env python3
"""Take screenshots of Neo4j Browser against a running coordgraph server, into docs/screenshots/.

Needs Chromium (Debian/Ubuntu: ``sudo apt-get install -y chromium``). The login page is captured with Chromium
alone. For logged-in views (the coordgraph style applied, saved queries run) the script drives Chromium with
playwright-core from npm; install it once with

    npm install --prefix .coordgraph/browser-kit playwright-core

(``--no-login`` skips those views). The server is the managed one unless ``--http-url``/``--bolt-url``/
``--password`` (or ``NEO4J_URI``/``NEO4J_PASSWORD``) say otherwise. Chromium runs headless in a new, empty
profile with networking extras off, so nothing is fetched beyond the Browser page itself.

Example:

    .venv/bin/python scripts/browser_screenshots.py            # managed server, default views
    .venv/bin/python scripts/browser_screenshots.py --http-url http://127.0.0.1:7474/browser/ \\
        --bolt-url bolt://127.0.0.1:7687 --password "$NEO4J_PASSWORD"
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coordgraph import querylib  # noqa: E402
from coordgraph.config import managed_layout, read_password  # noqa: E402

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--mute-audio",
]
# (file name, saved query, parameters, caption) of the logged-in views.
VIEWS = [
    ("02-cluster-graph.png", "cluster_graph", {"signal": "co_retweet"}, "A flagged cluster's co-retweet graph in the coordgraph style"),
    ("03-cluster-members.png", "cluster_members", {}, "Members of the cluster with score, status and evidence"),
    ("04-target-engagement-weekly.png", "target_engagement_weekly", {}, "Weekly engagement with the targets"),
    ("05-runs.png", "runs", {}, "Analysis runs"),
]

DRIVER_JS = r"""
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
const fs = require('fs');
const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

async function runInEditor(page, text) {
  const editor = page.locator('[data-testid="activeEditor"] textarea, .monaco-editor textarea').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Control+Enter');
  await page.waitForTimeout(cfg.settle_ms);
}

(async () => {
  const context = await chromium.launchPersistentContext(cfg.profile, {
    executablePath: cfg.chromium, args: cfg.flags, headless: true, viewport: { width: cfg.width, height: cfg.height },
  });
  if (cfg.style) {
    // Browser keeps its graph style in localStorage; seed it before the app starts.
    await context.addInitScript((sheet) => { localStorage.setItem('neo4j.grass', sheet); }, JSON.stringify(cfg.style));
  }
  // Show only the relationships a query returns ("Connect result nodes" off), as the saved queries intend.
  await context.addInitScript(() => {
    const settings = JSON.parse(localStorage.getItem('neo4j.settings') || '{}');
    settings.autoComplete = false;
    localStorage.setItem('neo4j.settings', JSON.stringify(settings));
  });
  const page = context.pages()[0] || await context.newPage();
  await page.goto(cfg.url, { waitUntil: 'networkidle' });
  const address = page.locator('[data-testid="boltaddress"], input#url-input').first();
  await address.waitFor({ timeout: 60000 });
  await address.fill(cfg.bolt);
  await page.locator('[data-testid="username"]').fill(cfg.user);
  await page.locator('[data-testid="password"]').fill(cfg.password);
  await page.locator('[data-testid="connect"]').click();
  await page.waitForSelector('[data-testid="activeEditor"], .monaco-editor', { timeout: 60000 });
  await page.waitForTimeout(cfg.settle_ms);
  await runInEditor(page, ':clear');
  for (const view of cfg.views) {
    await runInEditor(page, ':clear');
    for (const line of view.params) { await runInEditor(page, line); }
    await runInEditor(page, ':clear');
    await runInEditor(page, view.query);
    // A graph result is drawn by a force layout: wait for its nodes, then let the layout settle.
    const drawn = await page.waitForSelector('svg g.node', { timeout: 5000 }).catch(() => null);
    if (drawn) { await page.waitForTimeout(3 * cfg.settle_ms); }
    await page.screenshot({ path: view.path });
    console.log('wrote ' + view.path);
  }
  await context.close();
})().catch((err) => { console.error(err); process.exit(1); });
"""


def parse_args() -> argparse.Namespace:
    layout = managed_layout()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--http-url", default=os.environ.get("COORDGRAPH_BROWSER_URL", layout.browser_url),
                        help="Neo4j Browser address (default: the managed server's).")
    parser.add_argument("--bolt-url", default=os.environ.get("NEO4J_URI", layout.uri), help="Bolt address Browser connects to.")
    parser.add_argument("--user", default=os.environ.get("NEO4J_USER", "neo4j"))
    parser.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD") or read_password(layout.password_file),
                        help="Default: NEO4J_PASSWORD, else the managed server's password file.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--playwright-core", default=str(ROOT / ".coordgraph" / "browser-kit" / "node_modules" / "playwright-core"),
                        help="Path of the playwright-core npm package.")
    parser.add_argument("--style", type=Path, default=ROOT / "coordgraph" / "report" / "coordgraph.grass")
    parser.add_argument("--no-login", action="store_true", help="Only the login page (no playwright-core needed).")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--settle-ms", type=int, default=4000, help="Wait after each command for Browser to draw.")
    return parser.parse_args()


def grass_sheet(grass: str) -> dict[str, dict[str, str]]:
    """A GRASS style as the selector -> property map Browser stores (the file is plain CSS-like rules)."""
    sheet = {}
    # A rule's closing brace stands alone on its line; captions such as "{username}" contain braces too.
    for selector, body in re.findall(r"^([^{\n]+)\{(.*?)^\}", re.sub(r"/\*.*?\*/", "", grass, flags=re.S), flags=re.S | re.M):
        rules = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+);", body))
        sheet[selector.strip()] = {k: v.strip().strip('"\'') for k, v in rules.items()}
    return sheet


def browser_address(args: argparse.Namespace) -> str:
    """Browser URL with the Bolt address pre-filled in its connect form."""
    return f"{args.http_url}?{urlencode({'dbms': args.bolt_url})}"


def login_page(args: argparse.Namespace, profile: Path) -> Path:
    """Screenshot of the Browser login page, with Chromium alone."""
    path = args.out / "01-browser-login.png"
    subprocess.run(
        [args.chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={args.width},{args.height}",
         "--virtual-time-budget=15000", f"--screenshot={path}", browser_address(args)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
    )
    return path


def logged_in_views(args: argparse.Namespace, profile: Path) -> None:
    """Log in with playwright-core, load the style, run saved queries and take a screenshot of each."""
    if not Path(args.playwright_core).exists():
        sys.exit(f"playwright-core not found at {args.playwright_core}; install it with "
                 "`npm install --prefix .coordgraph/browser-kit playwright-core` or use --no-login.")
    if not args.password:
        sys.exit("No password: pass --password or set NEO4J_PASSWORD.")
    views = []
    for file_name, name, params, _caption in VIEWS:
        saved = querylib.get(name)
        values = querylib.bind(saved, params)
        # One line: the editor auto-closes brackets, which breaks multi-line typing (Cypher ignores line breaks).
        body = " ".join(line.strip() for line in saved.text.splitlines() if not line.startswith("//")).strip()
        views.append({
            "path": str(args.out / file_name),
            "params": [f":param {k} => {json.dumps(v)}" for k, v in values.items()],
            "query": body,
        })
    config = {
        "url": browser_address(args), "bolt": args.bolt_url, "user": args.user, "password": args.password,
        "chromium": args.chromium, "flags": CHROMIUM_FLAGS[1:], "profile": str(profile),
        "width": args.width, "height": args.height, "settle_ms": args.settle_ms,
        "style": grass_sheet(args.style.read_text(encoding="utf-8")) if args.style else None, "views": views,
    }
    with tempfile.TemporaryDirectory() as work:
        cfg_path, js_path = Path(work) / "config.json", Path(work) / "drive.js"
        cfg_path.write_text(json.dumps(config))
        cfg_path.chmod(0o600)  # it holds the password
        js_path.write_text(DRIVER_JS)
        env = {**os.environ, "PLAYWRIGHT_CORE": str(Path(args.playwright_core).resolve())}
        subprocess.run(["node", str(js_path), str(cfg_path)], check=True, env=env, timeout=600)


def main() -> None:
    args = parse_args()
    if not Path(args.chromium).exists():
        sys.exit(f"Chromium not found at {args.chromium}; install it with `sudo apt-get install -y chromium`.")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="coordgraph-chromium-") as profile:
        print(f"wrote {login_page(args, Path(profile) / 'login')}")
        if not args.no_login:
            logged_in_views(args, Path(profile) / "session")


if __name__ == "__main__":
    main()
