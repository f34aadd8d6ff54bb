"""Language signal: phrases distinctive of accounts versus the benchmark, and shared distinctive n-grams.

Corpus: the text of every post (original, reply, quote) of the non-target accounts; with ``engaging_only``
(default) and targets in the graph, only accounts engaging the targets, so the benchmark is "the other
accounts engaging the same targets". Retweet texts (``RT @...``), URLs and @mentions are removed; text is
lower-cased and split into words (hashtags kept); word n-grams of ``ngram_range`` (default 2-3) are counted
per account in a sparse account x n-gram matrix.

Distinctive phrases: for each account ``i`` and n-gram ``w`` it uses, the weighted log-odds ratio with an
informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) of ``w`` in ``i``'s text versus all other
accounts' text, ``delta = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w)) - log((y_rw + a_w) / (n_r + a0 - y_rw -
a_w))`` with variance ``1/(y_iw + a_w) + 1/(y_rw + a_w)``; the prior ``a_w = a0 * y_w / sum(y)`` follows the
whole corpus, with total mass ``a0 = prior_mass`` (default: the median number of n-grams per account, so the
prior weighs as much as one typical account's text). ``z = delta / sd``; an n-gram is distinctive for an
account when ``z >= z_min`` (default 1.96) and the account uses it at least ``min_uses`` times (default 2: a
phrase of the account, not a one-off coincidence between two accounts' rare word pairs).

Pairs: two accounts sharing n-grams distinctive for both; each shared n-gram adds its inverse document
frequency ``log(A / df)`` (``A`` accounts in the corpus, ``df`` accounts using it), so common phrases weigh
little; at least ``min_shared`` (default 2) shared n-grams; n-grams distinctive for more than
``max_accounts`` (default 200) accounts are background. ``posts`` holds the shared phrases (strongest first).
Account score: mean z of the account's three strongest distinctive n-grams behind its pairs (0 when it has
no pair); ``detail`` lists its top distinctive phrases (used ``min_uses`` times or more) with log-odds, z, use
count, how many accounts use them and whether they link it to another account, plus its n-gram and post
counts.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from neo4j import Driver
from scipy import sparse

from .base import ACCOUNT_COLUMNS, PAIR_COLUMNS, SignalResult
from .spec import SignalInputs, SignalSpec, engaging_texts

URL = re.compile(r"https?://\S+|www\.\S+")
MENTION = re.compile(r"@\w+")
TOKEN = re.compile(r"#?\w+(?:'\w+)?")
TOP_PHRASES = 10
MAX_PAIR_PHRASES = 20


def language(
    driver: Driver,
    *,
    database: str | None = None,
    ngram_range: tuple[int, int] = (2, 3),
    prior_mass: float | None = None,
    z_min: float = 1.96,
    min_uses: int = 2,
    min_shared: int = 2,
    max_accounts: int = 200,
    engaging_only: bool = True,
    rows: list | None = None,
) -> SignalResult:
    """Distinctive phrases per account (weighted log-odds) and pairs sharing distinctive n-grams.

    ``ngram_range``: word n-gram lengths; ``prior_mass``: total weight of the corpus prior (default the
    median n-gram count per account); ``z_min``: the
    z-score above which an n-gram is distinctive; ``min_uses``: fewest uses by the account for that;
    ``min_shared``: fewest shared distinctive n-grams for a pair;
    ``max_accounts``: n-grams distinctive for more accounts are not linked; ``engaging_only``: restrict the
    corpus to accounts engaging the targets (when there are targets). ``rows``: the corpus already read
    (``[account_id, post_id, text]`` each, :func:`corpus_rows`).
    """
    params = {
        "ngram_range": list(ngram_range),
        "prior_mass": prior_mass,
        "z_min": z_min,
        "min_uses": min_uses,
        "min_shared": min_shared,
        "max_accounts": max_accounts,
        "engaging_only": engaging_only,
    }
    if rows is None:
        rows = corpus_rows(engaging_texts(driver, database, engaging_only))
    posts = pd.DataFrame(rows, columns=["account_id", "post_id", "text"])
    posts = posts[~posts["text"].str.startswith("RT @")]
    grams = count_ngrams(posts, ngram_range)
    if grams is None:
        return SignalResult(name="language", params=params)
    counts, account_ids, phrases, tokens_per_account, posts_per_account = grams
    if prior_mass is None:
        prior_mass = float(max(np.median(np.asarray(counts.sum(axis=1)).ravel()), 1.0))
    params["prior_mass_used"] = prior_mass
    z, log_odds = log_odds_z(counts, prior_mass)

    used = counts.copy()
    used.data = np.ones_like(used.data)
    df = np.asarray(used.sum(axis=0)).ravel()
    n_accounts = counts.shape[0]
    idf = np.log(n_accounts / np.maximum(df, 1))

    coo = counts.tocoo()
    entries = pd.DataFrame(
        {"acc": coo.row, "gram": coo.col, "y": coo.data, "z": z, "log_odds": log_odds, "df": df[coo.col]}
    )
    distinct = entries[(entries["z"] >= z_min) & (entries["y"] >= min_uses) & (entries["df"] >= 2)]
    gram_users = distinct.groupby("gram")["acc"].transform("size")
    linkable = distinct[(gram_users >= 2) & (gram_users <= max_accounts)]

    pairs, evidence = _pairs(linkable, idf, phrases, account_ids, min_shared)
    phrases_entries = entries[(entries["z"] >= z_min) & (entries["y"] >= min_uses)]
    accounts = _accounts(phrases_entries, evidence, account_ids, phrases, tokens_per_account, posts_per_account)
    return SignalResult(name="language", pairs=pairs, accounts=accounts, params=params)


def count_ngrams(posts: pd.DataFrame, ngram_range: tuple[int, int]):
    """Sparse account x n-gram counts, with the account ids, each n-gram's text and per-account totals
    (``posts``: ``account_id, post_id, text``; the same whatever order its rows are in).

    Tokens are factorised to integers once; an n-gram code is built from the (n-1)-gram code and the next
    token, so no string n-grams are materialised except for display.
    """
    if posts.empty:
        return None
    # in id order, not the store's: n-gram numbers, and so the order of phrases with equal scores, follow it
    posts = posts.sort_values(["account_id", "post_id"], kind="stable")
    text = posts["text"].str.lower().str.replace(URL, " ", regex=True).str.replace(MENTION, " ", regex=True)
    token_lists = text.str.findall(TOKEN)
    account_codes, account_ids = pd.factorize(posts["account_id"])
    lengths = token_lists.str.len().to_numpy()
    flat = token_lists.explode().dropna()
    if flat.empty:
        return None
    doc = np.repeat(np.arange(len(posts)), lengths)
    tok, vocab = pd.factorize(flat.to_numpy())
    tok = tok.astype(np.int64)
    vocab_size = len(vocab)
    n_tokens = len(tok)
    tokens_per_account = np.bincount(account_codes[doc], minlength=len(account_ids))
    posts_per_account = np.bincount(account_codes, minlength=len(account_ids))

    rows, cols, phrase_list = [], [], []
    offset = 0
    code = tok.copy()
    for n in range(1, ngram_range[1] + 1):
        if n > 1:
            length = n_tokens - n + 1
            if length <= 0:
                break
            combined = code[:length] * vocab_size + tok[n - 1 :]
            code, _ = pd.factorize(combined)
            code = code.astype(np.int64)
        if n < ngram_range[0]:
            continue
        length = len(code)
        valid = doc[:length] == doc[n - 1 : n - 1 + length]
        positions = np.flatnonzero(valid)
        if positions.size == 0:
            continue
        gram, first_pos = _renumber(code[positions], positions)
        rows.append(account_codes[doc[positions]])
        cols.append(gram + offset)
        phrase_list.extend(" ".join(vocab[tok[p : p + n]]) for p in first_pos)
        offset += len(first_pos)
    if not rows:
        return None
    r, c = np.concatenate(rows), np.concatenate(cols)
    counts = sparse.csr_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(len(account_ids), offset))
    counts.sum_duplicates()
    return counts, np.asarray(account_ids, dtype=object), np.asarray(phrase_list, dtype=object), tokens_per_account, posts_per_account


def _renumber(codes: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense ids 0..k-1 for the valid n-gram codes, and the first position of each (for its text)."""
    dense, _ = pd.factorize(codes)
    _, first_index = np.unique(dense, return_index=True)
    return dense.astype(np.int64), positions[first_index]


def log_odds_z(counts: sparse.csr_matrix, prior_mass: float) -> tuple[np.ndarray, np.ndarray]:
    """Monroe et al. weighted log-odds (account vs the rest) and z-scores for every non-zero entry (COO order)."""
    coo = counts.tocoo()
    y_w = np.asarray(counts.sum(axis=0)).ravel()
    n_i = np.asarray(counts.sum(axis=1)).ravel()
    total = y_w.sum()
    alpha_w = prior_mass * y_w / total
    y_iw = coo.data
    a = alpha_w[coo.col]
    y_rw = y_w[coo.col] - y_iw
    ni = n_i[coo.row]
    nr = total - ni
    own = np.log((y_iw + a) / (ni + prior_mass - y_iw - a))
    rest = np.log((y_rw + a) / (nr + prior_mass - y_rw - a))
    delta = own - rest
    sd = np.sqrt(1.0 / (y_iw + a) + 1.0 / (y_rw + a))
    return delta / sd, delta


def _pairs(linkable, idf, phrases, account_ids, min_shared) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pairs sharing at least ``min_shared`` distinctive n-grams, and the (account, n-gram) entries behind them."""
    if linkable.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS), linkable.iloc[0:0]
    left = linkable[["gram", "acc"]]
    joined = left.merge(left, on="gram", suffixes=("_a", "_b"))
    joined = joined[joined["acc_a"] < joined["acc_b"]].copy()
    ida, idb = account_ids[joined["acc_a"].to_numpy()], account_ids[joined["acc_b"].to_numpy()]
    swap = ida > idb
    joined["a"], joined["b"] = np.where(swap, idb, ida), np.where(swap, ida, idb)
    joined["idf"] = idf[joined["gram"].to_numpy()]
    joined = joined.sort_values("idf", ascending=False, kind="stable")
    sizes = joined.groupby(["a", "b"], sort=False)["gram"].transform("size")
    joined = joined[sizes >= min_shared]
    if joined.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS), linkable.iloc[0:0]
    out = (
        joined.groupby(["a", "b"], sort=False)
        .agg(weight=("idf", "sum"), count=("gram", "size"), grams=("gram", list))
        .reset_index()
    )
    out["posts"] = out["grams"].map(lambda g: [str(phrases[x]) for x in g[:MAX_PAIR_PHRASES]])
    out["first_at"] = None
    out["last_at"] = None
    behind = pd.concat(
        [joined[["acc_a", "gram"]].set_axis(["acc", "gram"], axis=1), joined[["acc_b", "gram"]].set_axis(["acc", "gram"], axis=1)]
    ).drop_duplicates()
    evidence = linkable.merge(behind, on=["acc", "gram"])
    return out.sort_values("weight", ascending=False, kind="stable").reset_index(drop=True)[PAIR_COLUMNS], evidence


def _accounts(entries, evidence, account_ids, phrases, tokens_per_account, posts_per_account) -> pd.DataFrame:
    """Score = mean z of the account's three strongest n-grams behind its pairs; detail = its top phrases."""
    shared_set = set(zip(evidence["acc"].to_numpy(), evidence["gram"].to_numpy()))
    top = entries.sort_values("z", ascending=False, kind="stable")
    top = top.groupby("acc", sort=False).head(TOP_PHRASES)
    by_acc = {acc: grp for acc, grp in top.groupby("acc", sort=False)}
    shared_scores = (
        evidence.sort_values("z", ascending=False, kind="stable").groupby("acc")["z"].apply(lambda s: float(s.head(3).mean()))
    )
    rows = []
    for acc in range(len(account_ids)):
        grp = by_acc.get(acc)
        phrases_out = []
        if grp is not None:
            for g, y, zz, lo, d in zip(grp["gram"], grp["y"], grp["z"], grp["log_odds"], grp["df"]):
                phrases_out.append(
                    {
                        "phrase": str(phrases[g]),
                        "log_odds": round(float(lo), 3),
                        "z": round(float(zz), 3),
                        "uses": int(y),
                        "accounts": int(d),
                        "shared": (acc, g) in shared_set,
                    }
                )
        rows.append(
            {
                "account_id": str(account_ids[acc]),
                "score": float(shared_scores.get(acc, 0.0)),
                "detail": {
                    "top_phrases": phrases_out,
                    "tokens": int(tokens_per_account[acc]),
                    "posts": int(posts_per_account[acc]),
                },
            }
        )
    frame = pd.DataFrame(rows, columns=ACCOUNT_COLUMNS)
    return frame.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)


def corpus_rows(texts: list) -> list[tuple]:
    """The corpus of :func:`language` from the texts the text signals read (``signals/engaging_texts.cypher``):
    ``(account_id, post_id, text)`` of the accounts that are not targets (the benchmark is the other accounts)."""
    return [(account, post, text) for account, target, post, _, _, text in texts if not target]


def _compute(inputs: SignalInputs) -> SignalResult:
    # the texts the run reads once (near-duplicate reads the same posts), counted in the run's helper process
    rows = corpus_rows(inputs.engaging_texts())
    return inputs.apart(language, None, database=inputs.database, rows=rows, size=len(rows))


SPECS: tuple[SignalSpec, ...] = (SignalSpec("language", _compute, standalone=True),)
