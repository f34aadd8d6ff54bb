"""Ingest speed and memory: events/s, wall time and Python peak RSS.

Loads (1) a generated twarc2 raw-page file of about ``--events`` engagement events (1M events are ~1.2 GB), (2) the
real ``coortweet/german_elections.csv`` (218,971 rows) and, with ``--big-gb``, (3) a generated file of that size,
stopped after ``--big-minutes`` (the output then says so and gives the fraction read). Prints the figures; it is
not a test.

    NEO4J_URI=bolt://127.0.0.1:7691 NEO4J_PASSWORD=... .venv/bin/python benchmarks/ingest.py --events 1000000 --wipe
    ... benchmarks/ingest.py --skip-generated --skip-german --big-gb 2 --big-minutes 10 --wipe   # the 2 GB point

``--wipe`` empties the target database first (never point it at data you need). Without NEO4J_URI or
``--uri`` the managed local server is used.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import orjson
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coordgraph import db  # noqa: E402
from coordgraph.config import resolve_connection  # noqa: E402
from coordgraph.ingest import ingest_paths  # noqa: E402
from coordgraph.ingest.pipeline import DEFAULT_BATCH_SIZE  # noqa: E402
from coordgraph.ingest.values import SNOWFLAKE_EPOCH_MS  # noqa: E402

SHARED = Path(os.environ.get("COORDGRAPH_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data" / "real"))


def snowflake(ms: int, seq: int) -> str:
    return str(((ms - SNOWFLAKE_EPOCH_MS) << 22) | (seq & 0x3FFFFF))


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_twarc2_pages(path: Path, events: int, accounts: int = 50_000, seed: int = 7) -> int:
    """Raw v2 search pages of 100 tweets: ~80% retweets of a pool of recent originals, ~10% replies, the rest
    originals with hashtags, links and mentions; includes.users and includes.tweets as the API returns them.

    Each profile and each original is serialised once and its bytes reused on every page it is on, and a page
    is joined from its parts' bytes (the same bytes ``orjson.dumps`` of the whole page gives; a file is the
    same for the same arguments as it always was)."""
    rng = random.Random(seed)
    t0 = int(datetime(2021, 1, 1, tzinfo=timezone.utc).timestamp() * 1000)
    originals: list[tuple[dict, bytes]] = []
    profiles: dict[int, bytes] = {}
    seq = 0
    written = 0
    second, stamp = None, ""

    def user(uid: int) -> bytes:
        got = profiles.get(uid)
        if got is None:
            got = profiles[uid] = orjson.dumps({
                "id": str(uid), "username": f"user{uid}", "name": f"User {uid}", "created_at": iso(t0 - uid * 60_000),
                "description": "bio", "location": "somewhere", "verified": False,
                "public_metrics": {"followers_count": uid % 5000, "following_count": 100, "tweet_count": 1000},
                "profile_image_url": "https://pbs.twimg.com/profile_images/x_normal.jpg"})
        return got

    with open(path, "wb") as fh:
        now = t0
        while written < events:
            data: list[bytes] = []
            inc_tweets: dict[str, bytes] = {}
            inc_users: dict[int, bytes] = {}
            for _ in range(min(100, events - written)):
                now += rng.randint(10, 400)
                seq += 1
                tid = snowflake(now, seq)
                if now // 1000 != second:  # the API's times are whole seconds: one string per second
                    second, stamp = now // 1000, iso(now)
                author = rng.randrange(accounts)
                inc_users[author] = user(author)
                r = rng.random()
                if r < 0.8 and originals:
                    target, target_bytes = originals[rng.randrange(max(0, len(originals) - 500), len(originals))]
                    data.append(orjson.dumps({
                        "id": tid, "author_id": str(author), "created_at": stamp, "text": "RT @x: " + target["text"][:80],
                        "lang": "en", "conversation_id": tid, "referenced_tweets": [{"type": "retweeted", "id": target["id"]}]}))
                    inc_tweets[target["id"]] = target_bytes
                    inc_users[int(target["author_id"])] = user(int(target["author_id"]))
                elif r < 0.9 and originals:
                    parent, parent_bytes = originals[rng.randrange(len(originals))]
                    data.append(orjson.dumps({
                        "id": tid, "author_id": str(author), "created_at": stamp, "text": f"@user{parent['author_id']} reply {seq}",
                        "lang": "en", "conversation_id": parent["id"], "in_reply_to_user_id": parent["author_id"],
                        "referenced_tweets": [{"type": "replied_to", "id": parent["id"]}]}))
                    inc_tweets[parent["id"]] = parent_bytes
                else:
                    tag = f"tag{rng.randrange(300)}"
                    t = {"id": tid, "author_id": str(author), "created_at": stamp, "text": f"original {seq} #{tag} https://t.co/{seq}",
                         "lang": "en", "conversation_id": tid, "source": "Twitter Web App",
                         "entities": {"hashtags": [{"tag": tag}], "urls": [{"url": f"https://t.co/{seq}", "expanded_url": f"https://site{rng.randrange(200)}.org/{seq}"}],
                                      "mentions": [{"username": f"user{(author * 7) % accounts}", "id": str((author * 7) % accounts)}]}}
                    encoded = orjson.dumps(t)
                    data.append(encoded)
                    originals.append((t, encoded))
                written += 1
            twarc = {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.12.0",
                     "retrieved_at": stamp.replace(".000Z", "+00:00")}
            fh.write(b"".join((b'{"data":[', b",".join(data), b'],"includes":{"users":[', b",".join(inc_users.values()),
                               b'],"tweets":[', b",".join(inc_tweets.values()), b']},"meta":{"result_count":',
                               str(len(data)).encode(), b'},"__twarc":', orjson.dumps(twarc), b"}\n")))
            if len(originals) > 20_000:
                del originals[:10_000]
    return written


class PeakRss:
    """Samples the resident memory of this process plus its children (the input reader runs in one) every 50 ms;
    ``peak`` is the largest sum, ``peak_parent`` and ``peak_child`` the largest of each (ru_maxrss covers the whole
    life of this process only, this covers the load)."""

    def __init__(self):
        self.peak = self.peak_parent = self.peak_child = 0
        self._stop = threading.Event()
        self._proc = psutil.Process()

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            parent = self._proc.memory_info().rss
            child = 0
            for c in self._proc.children(recursive=True):
                try:
                    child += c.memory_info().rss
                except psutil.Error:
                    pass  # ended between listing and reading
            self.peak = max(self.peak, parent + child)
            self.peak_parent = max(self.peak_parent, parent)
            self.peak_child = max(self.peak_child, child)
            self._stop.wait(0.05)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class StopLoad(Exception):
    """Raised from the progress callback to end a load at the time limit."""


def measure(driver, label: str, path: Path, batch_size: int, max_seconds: float | None = None) -> None:
    """Load ``path`` and print events/s, wall time, file size and this process's peak RSS during the load.

    With ``max_seconds`` the load is stopped at that time and the figures are those of the part loaded."""
    size = path.stat().st_size
    last: dict = {"position": 0, "events": 0}
    started = time.perf_counter()

    def progress(info: dict) -> None:
        last.update(info)
        if max_seconds is not None and time.perf_counter() - started > max_seconds and not info["done"]:
            raise StopLoad

    stopped = False
    with PeakRss() as rss:
        try:
            summary = ingest_paths(driver, [str(path)], progress=progress, batch_size=batch_size, rejects_dir=tempfile.gettempdir())
            events, rejected = summary.events, summary.rejected
        except StopLoad:
            stopped = True
            events, rejected = last["events"], 0
        wall = time.perf_counter() - started
    part = (f"STOPPED after {wall / 60:,.1f} min at {last['position'] / size:.0%} of the file ({last['position'] / 1e6:,.0f} of "
            f"{size / 1e6:,.0f} MB read); figures are for that part: " if stopped else "")
    print(f"{label} ({size / 1e6:,.0f} MB, batch {batch_size:,}): {part}{events:,} events, {rejected:,} rejected, "
          f"wall {wall:,.1f} s -> {events / wall:,.0f} events/s; Python peak RSS during the load {rss.peak / 1e6:,.0f} MB "
          f"(writer process {rss.peak_parent / 1e6:,.0f} MB, reader process {rss.peak_child / 1e6:,.0f} MB); "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000, help="engagement events in the generated twarc2 file")
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    ap.add_argument("--wipe", action="store_true", help="empty the database before each load")
    ap.add_argument("--skip-german", action="store_true")
    ap.add_argument("--skip-generated", action="store_true")
    ap.add_argument("--big-gb", type=float, default=0.0,
                    help="also generate a twarc2 file of about this many GB and load it (memory at the 2 GB point)")
    ap.add_argument("--big-minutes", type=float, default=10.0, help="stop the big load after this many minutes")
    ap.add_argument("--uri")
    ap.add_argument("--password")
    args = ap.parse_args()
    conn = resolve_connection(uri=args.uri, password=args.password)
    driver = db.connect(conn, require_gds=False)
    workdir = Path(tempfile.mkdtemp(prefix="coordgraph-bench-"))

    def wipe():
        with driver.session() as s:
            s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    def generate(events: int) -> Path:
        gen = workdir / f"twarc2_pages_{events}.jsonl"
        t = time.perf_counter()
        n = write_twarc2_pages(gen, events)
        print(f"generated {n:,} events ({gen.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t:,.1f} s", flush=True)
        return gen

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work on the machine slows "
          f"every figure); server {conn.uri}", flush=True)
    if not args.skip_generated:
        gen = generate(args.events)
        if args.wipe:
            wipe()
        measure(driver, "twarc2 raw pages (generated)", gen, args.batch_size)
        gen.unlink()
    german = SHARED / "coortweet" / "german_elections.csv"
    if not args.skip_german and german.exists():
        if args.wipe:
            wipe()
        measure(driver, "coortweet/german_elections.csv", german, args.batch_size)
    if args.big_gb:
        # ~1,150 bytes per event in these pages
        big = generate(int(args.big_gb * 1e9 / 1150))
        if args.wipe:
            wipe()
        measure(driver, "twarc2 raw pages (generated, big)", big, args.batch_size, max_seconds=args.big_minutes * 60)
        big.unlink()
    print(f"process max RSS over the whole run, generation included (ru_maxrss): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:,.0f} MB")
    driver.close()


if __name__ == "__main__":
    main()
