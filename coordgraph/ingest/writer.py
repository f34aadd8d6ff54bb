"""Batched, idempotent writes of :class:`~coordgraph.ingest.records.Batch` objects to Neo4j.

Each batch is one managed transaction running one ``UNWIND $rows`` statement per kind of fact, so a load killed
at any point leaves whole batches, and re-running it MERGEs the same nodes and relationships again.
"""

from __future__ import annotations

from collections.abc import Callable

from neo4j import Driver
from neo4j.exceptions import ConstraintError

from .. import cypher
from .records import Batch, Bundle, Reject, merge_bundles

# order matters: nodes before the relationships that MATCH them
STEPS = (
    ("accounts", "ingest/accounts"),
    ("account_refs", "ingest/account_refs"),
    ("tweets", "ingest/tweets"),
    ("stubs", "ingest/stubs"),
    ("posted", "ingest/posted"),
    ("retweets", "ingest/retweets"),
    ("replies", "ingest/replies"),
    ("quotes", "ingest/quotes"),
    ("tags", "ingest/tags"),
    ("links", "ingest/links"),
    ("mentions", "ingest/mentions"),
    ("media", "ingest/media"),
    ("statuses", "ingest/statuses"),
)


class GraphWriter:
    """Writes bundles in one transaction per batch; a batch that breaks a uniqueness constraint (e.g. one
    retweet id given two different retweeted posts) is split until the offending rows are isolated and rejected."""

    KNOWN_LIMIT = 300_000  # ids remembered per kind; bounded so memory stays flat on any input size

    def __init__(self, driver: Driver, database: str | None = None):
        self.driver = driver
        self.database = database
        self.queries = [(attr, cypher.load(name)) for attr, name in STEPS]
        # ids this writer has already committed: bare references to them need no second MERGE
        self.known_accounts: set[str] = set()
        self.known_tweets: set[str] = set()
        # the profile values last written per account: a newer snapshot with the same values needs no write
        self.written_profiles: dict[str, int] = {}

    def write(self, bundles: list[Bundle], on_reject: Callable[[Reject, bool], None]) -> int:
        """Write ``bundles``; return the number of events written. Conflicts go to ``on_reject(reject, whole_row)``."""
        bundles = self._drop_conflicts(bundles, on_reject)
        return self._write_split(bundles, on_reject)

    def _drop_conflicts(self, bundles: list[Bundle], on_reject: Callable[[Reject, bool], None]) -> list[Bundle]:
        """Reject each retweet whose id is (in this batch or in the graph) another retweet already."""
        first: dict[str, tuple[str, str]] = {}
        rows = []
        for b in bundles:
            for r in b.retweets:
                edge = (r["account_id"], r["tweet_id"])
                if first.setdefault(r["id"], edge) == edge:
                    rows.append(r)
        if not rows:
            return bundles
        query = cypher.load("ingest/retweet_conflicts")
        with self.driver.session(database=self.database) as session:
            known = session.execute_read(lambda tx: {rec["id"]: (rec["account_id"], rec["tweet_id"]) for rec in tx.run(query, rows=rows)})
        known.update({k: v for k, v in first.items() if k not in known})
        kept = []
        for b in bundles:
            clashes = [r for r in b.retweets if known.get(r["id"], (r["account_id"], r["tweet_id"])) != (r["account_id"], r["tweet_id"])]
            # a row that is nothing but the conflicting retweet is rejected whole; in a bigger row (an API page)
            # only the retweet is dropped and the rest still loads
            whole_row = bool(clashes) and len(clashes) == len(b.retweets) and not b.tweets
            for clash in clashes:
                b.retweets.remove(clash)
                if clash.get("event", True) and b.events > 0:
                    b.events -= 1
                other = known[clash["id"]]
                on_reject(Reject(b.line, "id", (
                    f"retweet id {clash['id']} is already account {other[0]} retweeting post {other[1]}; this row makes it "
                    f"account {clash['account_id']} retweeting post {clash['tweet_id']} (one id cannot be two retweets)")), whole_row)
            if not whole_row:
                kept.append(b)
        return kept

    def _write_split(self, bundles: list[Bundle], on_reject: Callable[[Reject, bool], None]) -> int:
        if not bundles:
            return 0
        try:
            batch = merge_bundles(bundles)
            self._write_batch(batch)
            return batch.events
        except ConstraintError as exc:
            if len(bundles) == 1:
                on_reject(Reject(bundles[0].line, None, f"conflicts with data already loaded: {exc.message}"), True)
                return 0
            half = len(bundles) // 2
            return self._write_split(bundles[:half], on_reject) + self._write_split(bundles[half:], on_reject)

    def _write_batch(self, batch: Batch) -> None:
        batch.account_refs = [r for r in batch.account_refs if r["id"] not in self.known_accounts or r.get("username")]
        signatures = {r["id"]: hash(tuple(sorted(r["props"].items()))) for r in batch.accounts}
        batch.accounts = [r for r in batch.accounts if self.written_profiles.get(r["id"]) != signatures[r["id"]]]
        batch.stubs = [s for s in batch.stubs if s["id"] not in self.known_tweets or s.get("author_id")]

        def work(tx):
            for attr, query in self.queries:
                rows = getattr(batch, attr)
                if rows:
                    tx.run(query, rows=rows).consume()

        with self.driver.session(database=self.database) as session:
            session.execute_write(work)
        self._remember(self.known_accounts, [r["id"] for r in batch.accounts], [r["id"] for r in batch.account_refs])
        if len(self.written_profiles) > self.KNOWN_LIMIT:
            self.written_profiles.clear()
        for r in batch.accounts:
            self.written_profiles[r["id"]] = signatures[r["id"]]
        self._remember(self.known_tweets, [t["id"] for t in batch.tweets], [s["id"] for s in batch.stubs])

    def _remember(self, known: set[str], *id_lists: list[str]) -> None:
        if len(known) > self.KNOWN_LIMIT:
            known.clear()
        for ids in id_lists:
            known.update(ids)
