"""Batched, idempotent writes of :class:`~coordgraph.ingest.records.Batch` objects to Neo4j.

Each batch is one managed transaction, so a load killed at any point leaves whole batches. The transaction first
looks up which of the batch's accounts, posts and retweet ids exist already (one index-backed read); what is new is
written with ``CREATE`` (no existence checks, no Eager plans) and what exists is updated or ``MERGE``d. Re-running
a load therefore finds everything and changes no count. While batches keep being entirely new (a first load), the
look-up is skipped and the uniqueness constraints on account, post and retweet ids stand in for it: a batch holding
anything that exists fails as a whole and is redone with the look-up. If a concurrent load creates the same ids
between the look-up and the ``CREATE``, a constraint fails the transaction and the batch is redone with ``MERGE``
only (:data:`MERGE_STEPS`).
"""

from __future__ import annotations

from collections.abc import Callable

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ConstraintError

from .. import cypher
from .records import Batch, Bundle, Reject, drop_retweet_conflicts, merge_bundles

# The all-MERGE path, used when the CREATE path meets a concurrent writer. Order matters: nodes before the
# relationships that MATCH them.
MERGE_STEPS = (
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
    ("seen_accounts", "ingest/accounts_seen"),
)
# Relationships from a post: CREATE when the post is new in this transaction, MERGE otherwise.
POST_EDGES = (("replies", "src"), ("quotes", "src"), ("tags", "tweet_id"), ("links", "tweet_id"),
              ("mentions", "tweet_id"), ("media", "tweet_id"))
EDGE_ROWS = ("posted", *(name for name, _ in POST_EDGES))  # row lists that are plain relationships, no values
CREATE_PATH_FILES = ("lookup", "accounts_new", "accounts_update", "accounts_seen", "account_names", "tweets_new", "tweets_update",
                     "stub_authors", "posted_new", "posted", "retweets_new", "statuses",
                     *(name for name, _ in POST_EDGES), *(f"{name}_new" for name, _ in POST_EDGES))


class RetweetConflicts(Exception):
    """Retweet ids of a batch that the graph holds with other endpoints (id -> (account id, post id)); raised
    inside the transaction, before anything is written, so the batch is redone without those rows."""

    def __init__(self, known: dict[str, tuple[str, str]]):
        super().__init__(f"{len(known)} retweet id(s) already in the graph with other endpoints")
        self.known = known


class GraphWriter:
    """Writes bundles in one transaction per batch; a batch that breaks a uniqueness constraint (e.g. one
    retweet id given two different retweeted posts) is split until the offending rows are isolated and rejected."""

    KNOWN_LIMIT = 300_000  # ids remembered per kind; bounded so memory stays flat on any input size

    def __init__(self, driver: Driver, database: str | None = None):
        self.driver = driver
        self.database = database
        self.merge_queries = [(attr, cypher.load(name)) for attr, name in MERGE_STEPS]
        self.queries = {name: cypher.load(f"ingest/{name}") for name in CREATE_PATH_FILES}
        # ids this writer has already committed: bare references to them need no second write
        self.known_accounts: set[str] = set()
        self.known_tweets: set[str] = set()
        # the profile / post values last written per id: the same values again need no write
        self.written_profiles: dict[str, int] = {}
        self.written_tweets: dict[str, int] = {}
        # relationships this writer has committed (posted, replies, tags ...): re-sent posts need no MERGE for them
        self.written_edges: set[tuple] = set()
        self.merge_fallbacks = 0  # batches redone with MERGE after meeting a concurrent writer
        # While batches turn out to be entirely new, the next one is first written without a look-up (the
        # constraints catch anything that exists); once something existed, look-ups resume until a batch is new again.
        self.optimistic = True

    def write(self, bundles: list[Bundle], on_reject: Callable[[Reject, bool], None]) -> int:
        """Write ``bundles``; return the number of events written. Conflicts go to ``on_reject(reject, whole_row)``."""
        bundles = self._drop_conflicts(bundles, on_reject, {})
        return self._write_split(bundles, on_reject)

    def _drop_conflicts(self, bundles: list[Bundle], on_reject: Callable[[Reject, bool], None],
                        known: dict[str, tuple[str, str]]) -> list[Bundle]:
        return drop_retweet_conflicts(bundles, on_reject, known)

    def _write_split(self, bundles: list[Bundle], on_reject: Callable[[Reject, bool], None]) -> int:
        if not bundles:
            return 0
        batch = merge_bundles(bundles)
        try:
            self._write_batch(batch)
            return batch.events
        except RetweetConflicts as exc:
            # the look-up found retweet ids of this batch in the graph with other endpoints: reject those rows
            return self._write_split(self._drop_conflicts(bundles, on_reject, exc.known), on_reject)
        except ConstraintError as exc:
            if len(bundles) == 1:
                on_reject(Reject(bundles[0].line, None, f"conflicts with data already loaded: {exc.message}"), True)
                return 0
            half = len(bundles) // 2
            return self._write_split(bundles[:half], on_reject) + self._write_split(bundles[half:], on_reject)

    def _write_batch(self, batch: Batch) -> None:
        batch.account_refs = [r for r in batch.account_refs if r["id"] not in self.known_accounts or r.get("username")]
        profile_sigs = {r["id"]: hash(tuple(sorted(r["props"].items()))) for r in batch.accounts}
        unchanged = [r for r in batch.accounts if self.written_profiles.get(r["id"]) == profile_sigs[r["id"]]]
        batch.seen_accounts = [{"id": r["id"], "profile_ms": r["profile_ms"]} for r in unchanged]
        batch.accounts = [r for r in batch.accounts if self.written_profiles.get(r["id"]) != profile_sigs[r["id"]]]
        batch.stubs = [s for s in batch.stubs if s["id"] not in self.known_tweets or s.get("author_id")]
        tweet_sigs = {t["id"]: hash(tuple(sorted(t["props"].items()))) for t in batch.tweets}
        batch.tweets = [t for t in batch.tweets if self.written_tweets.get(t["id"]) != tweet_sigs[t["id"]]]
        for name in EDGE_ROWS:
            setattr(batch, name, [r for r in getattr(batch, name) if (name, *r.values()) not in self.written_edges])
        with self.driver.session(database=self.database) as session:
            written = False
            if self.optimistic:
                try:
                    session.execute_write(self._create_path, batch, False)
                    written = True
                except ConstraintError:
                    self.optimistic = False  # something existed: look up from now on
            if not written:
                try:
                    self.optimistic = not session.execute_write(self._create_path, batch, True)
                except ConstraintError:
                    # a concurrent load created some of these ids after the look-up: MERGE copes with that
                    self.merge_fallbacks += 1
                    session.execute_write(self._merge_path, batch)
        self._remember(self.known_accounts, [r["id"] for r in batch.accounts], [r["id"] for r in batch.account_refs])
        self._remember_values(self.written_profiles, profile_sigs, [r["id"] for r in batch.accounts])
        self._remember(self.known_tweets, [t["id"] for t in batch.tweets], [s["id"] for s in batch.stubs])
        self._remember_values(self.written_tweets, tweet_sigs, [t["id"] for t in batch.tweets])
        if len(self.written_edges) > self.KNOWN_LIMIT:
            self.written_edges.clear()
        for name in EDGE_ROWS:
            self.written_edges.update((name, *r.values()) for r in getattr(batch, name))

    def _merge_path(self, tx: ManagedTransaction, batch: Batch) -> None:
        for attr, query in self.merge_queries:
            rows = getattr(batch, attr)
            if rows:
                tx.run(query, rows=rows).consume()

    def _create_path(self, tx: ManagedTransaction, batch: Batch, look_up: bool) -> bool:
        """Write ``batch``; return whether the look-up found any of it in the graph."""
        plan, found = self._plan(tx, batch, look_up)
        for name, rows in plan:
            if rows:
                tx.run(self.queries[name], rows=rows).consume()
        return found

    def _plan(self, tx: ManagedTransaction, batch: Batch, look_up: bool) -> tuple[list[tuple[str, list[dict]]], bool]:
        """Look up what exists and split every kind of row into new (CREATE) and existing (update / MERGE).

        Without ``look_up`` everything is taken as new: every CREATE of an account, post or retweet id is then
        guarded by a uniqueness constraint, and relationships are created only from posts created here, so any
        row that did exist fails the transaction instead of being duplicated."""
        accounts: dict[str, tuple] = {}
        tweets: dict[str, tuple] = {}
        retweets: dict[str, tuple[str, str]] = {}
        if look_up:
            account_ids = [r["id"] for r in batch.accounts] + [r["id"] for r in batch.account_refs]
            tweet_ids = [t["id"] for t in batch.tweets] + [s["id"] for s in batch.stubs]
            record = tx.run(self.queries["lookup"], account_ids=account_ids, tweet_ids=tweet_ids,
                            retweet_ids=[r["id"] for r in batch.retweets]).single(strict=True)
            accounts = {id_: (profile_ms, named) for id_, profile_ms, named in record["accounts"]}
            tweets = {id_: (stub, has_author) for id_, stub, has_author in record["tweets"]}
            retweets = {id_: (account_id, tweet_id) for id_, account_id, tweet_id in record["retweets"]}
            conflicts = {r["id"]: retweets[r["id"]] for r in batch.retweets
                         if retweets.get(r["id"], (r["account_id"], r["tweet_id"])) != (r["account_id"], r["tweet_id"])}
            if conflicts:
                raise RetweetConflicts(conflicts)

        new_accounts, account_updates, account_names = [], [], []
        for r in batch.accounts:
            row = {**r["props"], "id": r["id"], "profile_ms": r["profile_ms"]}
            old = accounts.get(r["id"])
            if old is None:
                new_accounts.append(row)
            elif old[0] is None or r["profile_ms"] >= old[0]:
                account_updates.append(row)
        for r in batch.account_refs:
            username = r.get("username")
            row = {"id": r["id"], "platform": r.get("platform"), "username": username,
                   "username_lc": username.lower() if username else None}
            old = accounts.get(r["id"])
            if old is None:
                new_accounts.append(row)
            elif username and not old[1]:
                account_names.append(row)

        new_tweets, tweet_updates, stub_authors = [], [], []
        for t in batch.tweets:
            row = {**t["props"], "id": t["id"], "stub": False}
            (tweet_updates if t["id"] in tweets else new_tweets).append(row)
        for s in batch.stubs:
            old = tweets.get(s["id"])
            if old is None:
                new_tweets.append({"id": s["id"], "stub": True, "author_id": s.get("author_id"), "created_ms": s.get("created_ms")})
            elif old[0] and not old[1] and s.get("author_id"):
                stub_authors.append({"id": s["id"], "author_id": s["author_id"]})
        created = {row["id"] for row in new_tweets}

        plan = [
            ("accounts_new", new_accounts), ("accounts_update", account_updates), ("account_names", account_names),
            ("tweets_new", new_tweets), ("tweets_update", tweet_updates), ("stub_authors", stub_authors),
            ("posted_new", [r for r in batch.posted if r["id"] in created]),
            ("posted", [r for r in batch.posted if r["id"] not in created]),
            ("retweets_new", [r for r in batch.retweets if r["id"] not in retweets]),
        ]
        for name, src in POST_EDGES:
            rows = getattr(batch, name)
            plan.append((f"{name}_new", [r for r in rows if r[src] in created]))
            plan.append((name, [r for r in rows if r[src] not in created]))
        plan.append(("statuses", batch.statuses))
        plan.append(("accounts_seen", batch.seen_accounts))
        return plan, bool(accounts or tweets or retweets)

    def _remember(self, known: set[str], *id_lists: list[str]) -> None:
        if len(known) > self.KNOWN_LIMIT:
            known.clear()
        for ids in id_lists:
            known.update(ids)

    def _remember_values(self, written: dict[str, int], signatures: dict[str, int], ids: list[str]) -> None:
        if len(written) > self.KNOWN_LIMIT:
            written.clear()
        for id_ in ids:
            written[id_] = signatures[id_]
