"""The bulk path's Neo4j side alone: the offline import, the server's start, the constraint and index builds and
(optionally) the toolkit-compatible co-retweet step, on import files written once; variants of these stages in
turns, each on the same files. Not a test.

The import files are made from ``--file`` into ``--files`` the first time (the bulk path's reading and fold, no
server); later runs reuse them. Each figure line gives the load average before and after it.

    .venv/bin/python benchmarks/bulk_server.py --file twarc2_1000000.jsonl --files /tmp/import-1m \\
        --home /tmp/bench-home --variants before,ml2 --rounds 2 --coretweet

Variants (comma-separated; see ``VARIANTS``): ``before`` is what the bulk path does.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from vs_toolkit import COORETWEET  # noqa: E402  (the same co-retweet step as the side-by-side benchmark)

from coordgraph import cypher, db, runtime  # noqa: E402
from coordgraph.config import Connection, ServerLayout, read_password  # noqa: E402
from coordgraph.ingest import bulk  # noqa: E402
from coordgraph.ingest import import_files as imp  # noqa: E402

# name -> what differs from the bulk path (importer options replace the ones of the same name)
VARIANTS: dict[str, dict] = {
    # the bulk path: every file parsed as one that may hold line breaks; constraints and indexes created in one
    # transaction, all awaited
    "before": {},
    "ml2": {"multiline": True},  # only the files with a line break in a value parsed so (v2 multi-line handling)
    "ml2-first": {"multiline": True, "indexes_first": True},  # and the plain indexes committed before the constraints
    "ml2-bg": {"multiline": True, "indexes_first": True, "wait": False},  # and those left populating
    "ml2-c1": {"multiline": True, "jvm_args": ["-XX:TieredStopAtLevel=1"]},  # the importer's JVM: C1 only
    "hpio-off": {"import_args": ["--high-parallel-io=off"]},
}


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def make_files(path: str, folder: Path, workers: int) -> None:
    """Read and fold ``path`` into ``folder``/import as the bulk path does (with one ``:Source`` node)."""
    spool, tmp, out = folder / "spool", folder / "tmp", folder / "import"
    for d in (spool, tmp, out):
        d.mkdir(parents=True, exist_ok=True)
    parts = imp.plan_parts([path], "auto", workers)
    imp.read_all(parts, spool, 5000, workers, {})
    retweets = out / "rel_RETWEETED.csv"
    rt_file = imp._CsvFile(retweets, imp.RETWEET_HEADER)
    if imp.fold_retweets(spool, tmp, rt_file):
        raise SystemExit("retweet id clashes: not what this benchmark measures")
    rt_file.close()
    imp.fold_all(spool, out, tmp, retweets=retweets)
    imp.write_sources(out / "node_Source.csv", [{
        "key": "bench", "path": path, "sha256": None, "format": "twarc2", "loaded_at": None, "rows": 0, "loaded": 0,
        "rejected": 0, "skipped": 0, "events": 0, "rejects_file": None, "completed": True, "finished_at": None}])


def import_files_of(folder: Path) -> imp.ImportFiles:
    out = folder / "import"
    nodes = {p.stem[len("node_"):]: p for p in sorted(out.glob("node_*.csv"))}
    rels = {p.stem[len("rel_"):]: p for p in sorted(out.glob("rel_*.csv"))}
    return imp.ImportFiles(nodes, rels, {})


def _has_line_break(path: Path) -> bool:
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as fh:
        return any("\n" in cell or "\r" in cell for row in csv.reader(fh) for cell in row)


def _multiline_v2(multiline: set[Path]) -> list[str]:
    """Importer options for v2 multi-line handling: only the listed files are parsed as holding line breaks."""
    if not multiline:
        return ["--multiline-fields=false"]
    return ["--multiline-fields-format=v2", f"--multiline-fields={','.join(sorted(map(str, multiline)))}"]


def one(layout: ServerLayout, files: imp.ImportFiles, multiline: set[Path], variant: dict, env: dict, coretweet: bool,
        work: Path) -> dict:
    runtime.stop(layout)
    f: dict = {}
    t, cpu = time.perf_counter(), _children_cpu()
    extra = [*variant.get("import_args", []), *(_multiline_v2(multiline) if variant.get("multiline") else [])]
    output = runtime.import_full(layout, files.nodes, files.relationships, extra_args=extra,
                                 jvm_args=variant.get("jvm_args", []))
    (work / "last-import-output.txt").write_text(output)
    f["import"], f["import_cpu"] = time.perf_counter() - t, _children_cpu() - cpu
    t = time.perf_counter()
    runtime.start(layout, log=lambda _m: None)
    f["start"] = time.perf_counter() - t
    server = psutil.Process(runtime.read_pid(layout))
    f["start_cpu"] = sum(server.cpu_times()[:2])
    driver = _driver(layout)
    t, scpu = time.perf_counter(), sum(server.cpu_times()[:2])
    if variant.get("indexes_first") or variant.get("wait") is False:
        _schema_apart(driver, wait=variant.get("wait", True))
    else:
        bulk.build_schema(driver, None, [])  # the bulk path's own
    f["schema"], f["schema_cpu"] = time.perf_counter() - t, sum(server.cpu_times()[:2]) - scpu
    driver.close()
    if coretweet:
        t, scpu, cpu = time.perf_counter(), sum(server.cpu_times()[:2]), _children_cpu()
        subprocess.run([sys.executable, "-c", COORETWEET, str(work / "co_retweet.csv")], env=env, check=True)
        f["step"], f["step_server_cpu"], f["step_cpu"] = (time.perf_counter() - t, sum(server.cpu_times()[:2]) - scpu,
                                                         _children_cpu() - cpu)
    return f


def _schema_apart(driver, wait: bool) -> None:
    """The schema as two transactions: the plain indexes (populated in the background), then the constraints
    (each statement returns once its index is populated and checked); with ``wait`` false, the plain indexes
    still populating are not waited for."""
    statements = cypher.statements("schema")
    constraint = [s.lstrip().upper().startswith("CREATE CONSTRAINT") for s in statements]
    for group in ([s for s, c in zip(statements, constraint) if not c], [s for s, c in zip(statements, constraint) if c]):
        with driver.session() as session:
            session.execute_write(lambda tx, group=group: [tx.run(statement).consume() for statement in group])
    if wait:
        with driver.session() as session:
            session.run(cypher.load("ingest/bulk_await")).consume()


def _driver(layout: ServerLayout):
    return db.connect(Connection(layout.uri, "neo4j", read_password(layout.password_file) or ""), require_gds=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", help="the twarc2 file to make the import files from (once)")
    ap.add_argument("--files", type=Path, required=True, help="folder of the import files (made when absent)")
    ap.add_argument("--home", type=Path, required=True, help="coordgraph data folder for the benchmark's server")
    ap.add_argument("--bolt-port", type=int, default=7742)
    ap.add_argument("--http-port", type=int, default=7752)
    ap.add_argument("--heap", default=os.environ.get("COORDGRAPH_HEAP", "1500m"))
    ap.add_argument("--pagecache", default=os.environ.get("COORDGRAPH_PAGECACHE", "512m"))
    ap.add_argument("--variants", default="before", help=f"comma-separated, of {', '.join(VARIANTS)}")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--coretweet", action="store_true", help="run the co-retweet step after the schema")
    ap.add_argument("--keep-server", action="store_true")
    args = ap.parse_args()
    if not (args.files / "import").is_dir():
        if not args.file:
            raise SystemExit("--files has no import files: give --file to make them")
        t = time.perf_counter()
        make_files(args.file, args.files, args.workers)
        print(f"import files made in {time.perf_counter() - t:.1f} s", flush=True)
    files = import_files_of(args.files)
    multiline = {p for p in (*files.nodes.values(), *files.relationships.values()) if _has_line_break(p)}
    print("files with a line break in a value:", ", ".join(sorted(p.name for p in multiline)) or "none", flush=True)
    home = args.home.resolve()
    layout = ServerLayout(home=home / "server", password_file=home / "neo4j-password", bolt_port=args.bolt_port,
                          http_port=args.http_port, heap=args.heap, pagecache=args.pagecache)
    env = {**os.environ, "COORDGRAPH_HOME": str(home), "COORDGRAPH_BOLT_PORT": str(args.bolt_port),
           "COORDGRAPH_HTTP_PORT": str(args.http_port), "COORDGRAPH_HEAP": args.heap, "COORDGRAPH_PAGECACHE": args.pagecache}
    env.pop("NEO4J_URI", None)
    runtime.install(layout, log=lambda *_: None)
    runtime.start(layout, log=lambda *_: None)  # a password and a class-data archive before the first round
    try:
        for round_no in range(1, args.rounds + 1):
            for name in args.variants.split(","):
                load = os.getloadavg()[0]
                f = one(layout, files, multiline, VARIANTS[name], env, args.coretweet, args.files)
                total = f["import"] + f["start"] + f["schema"]
                print(f"round {round_no} {name:10s} load average {load:.1f} -> {os.getloadavg()[0]:.1f}: "
                      f"import {f['import']:.1f} s ({f['import_cpu']:.1f} CPU s), start {f['start']:.1f} s "
                      f"({f['start_cpu']:.1f} CPU s), schema {f['schema']:.1f} s (server {f['schema_cpu']:.1f} CPU s); "
                      f"sum {total:.1f} s"
                      + (f"; co-retweet step {f['step']:.1f} s (server {f['step_server_cpu']:.1f} CPU s, "
                         f"its process {f['step_cpu']:.1f}); with it {total + f['step']:.1f} s" if "step" in f else ""),
                      flush=True)
    finally:
        if not args.keep_server:
            runtime.stop(layout)


if __name__ == "__main__":
    main()
