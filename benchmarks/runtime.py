"""Print the managed server's cold install time, warm start-to-ready time and idle RSS.

Uses a throw-away home (never the investigator's) on ports 7698/7485. "Cold" means an empty server home;
Maven's download cache (~/.m2) is kept unless --no-maven-cache is given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import psutil

from coordgraph import runtime
from coordgraph.config import ServerLayout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-maven-cache", action="store_true", help="use an empty Maven repository (full download)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="coordgraph-bench-"))
    layout = ServerLayout(home=base / "server", password_file=base / "neo4j-password", bolt_port=7698, http_port=7485)
    if args.no_maven_cache:
        os.environ["MAVEN_OPTS"] = f"-Dmaven.repo.local={base / 'm2'}"
    try:
        t0 = time.perf_counter()
        runtime.install(layout, log=lambda *_: None)
        install_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        runtime.start(layout, log=lambda *_: None)
        first_start_s = time.perf_counter() - t0
        runtime.stop(layout)
        t0 = time.perf_counter()
        runtime.start(layout, log=lambda *_: None)
        warm_start_s = time.perf_counter() - t0
        time.sleep(10)
        rss = psutil.Process(runtime.read_pid(layout)).memory_info().rss
        runtime.stop(layout)
        print(f"cold install ({'empty' if args.no_maven_cache else 'warm'} Maven cache): {install_s:7.1f} s")
        print(f"first start to ready:                 {first_start_s:7.1f} s")
        print(f"warm start to ready:                  {warm_start_s:7.1f} s")
        print(f"idle server RSS:                      {rss / 2**20:7.0f} MiB")
    finally:
        runtime.stop(layout)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
