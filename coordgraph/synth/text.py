"""Post bodies: varied organic chatter per language, and the network's templated replies with small variations."""

from __future__ import annotations

import numpy as np

from . import vocab

NO_SPACE_LANGS = {"zh"}


def sentence(rng: np.random.Generator, lang: str, n_words: int) -> str:
    """A random run of words in ``lang``: varied, not grammatical, distinct from post to post."""
    words = vocab.WORDS.get(lang, vocab.WORDS["en"])
    picks = [words[i] for i in rng.integers(0, len(words), n_words)]
    if lang in NO_SPACE_LANGS:
        return "".join(picks) + ("。" if rng.random() < 0.5 else "")
    text = " ".join(picks)
    text = text[:1].upper() + text[1:]
    return text + (".", "!", "?", "", "...")[int(rng.integers(0, 5))]


def organic_bodies(rng: np.random.Generator, langs: np.ndarray, mean_words: float = 11.0) -> list[str]:
    """One varied body per language code; lengths heavy-tailed like real posts."""
    lengths = np.clip(rng.gamma(2.0, mean_words / 2.0, len(langs)).astype(int), 2, 40)
    emoji = rng.random(len(langs)) < 0.18
    out = []
    for lang, n, e in zip(langs, lengths, emoji):
        body = sentence(rng, lang, int(n))
        if e:
            body += " " + vocab.EMOJI[int(rng.integers(0, len(vocab.EMOJI)))]
        out.append(body)
    return out


def typo(rng: np.random.Generator, text: str) -> str:
    """Swap two adjacent letters once (the kind of slip copy-pasters make when retyping)."""
    positions = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not positions:
        return text
    i = positions[int(rng.integers(0, len(positions)))]
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


# Some talking points are pushed much harder than others.
_PHRASE_WEIGHTS = 1.0 / np.arange(1, len(vocab.NETWORK_PHRASES) + 1) ** 0.8
_PHRASE_WEIGHTS /= _PHRASE_WEIGHTS.sum()


def network_reply(rng: np.random.Generator, variation: float, addressee: str | None = None) -> str:
    """A templated reply built from the network's shared phrases, varied more as ``variation`` grows (0..1).

    ``addressee`` ("Ambassador" or "Embassy") drops the phrases that name the other one."""
    n_phrases = 1 + int(rng.random() < 0.45)
    weights = _PHRASE_WEIGHTS
    if addressee:
        other = "Embassy" if addressee == "Ambassador" else "Ambassador"
        weights = np.where([other in ph for ph in vocab.NETWORK_PHRASES], 0.0, _PHRASE_WEIGHTS)
        weights = weights / weights.sum()
    phrases = [vocab.NETWORK_PHRASES[i] for i in rng.choice(len(vocab.NETWORK_PHRASES), n_phrases, replace=False, p=weights)]
    opener = vocab.NETWORK_OPENERS[int(rng.integers(0, len(vocab.NETWORK_OPENERS)))] if rng.random() < variation else ""
    closer = vocab.NETWORK_CLOSERS[int(rng.integers(0, len(vocab.NETWORK_CLOSERS)))]
    text = opener + ". ".join(phrases) + closer
    if rng.random() < variation * 0.3:
        text = typo(rng, text)
    if rng.random() < variation * 0.2:
        text = text.lower()
    if rng.random() < variation * 0.35:
        # an improvised clause makes some replies look less copied
        text += " " + sentence(rng, "en", int(rng.integers(3, 8)))
    return text


def target_post(rng: np.random.Generator) -> str:
    """An official statement of an ambassador or embassy account."""
    base = vocab.TARGET_TOPICS[int(rng.integers(0, len(vocab.TARGET_TOPICS)))]
    if rng.random() < 0.5:
        base += " " + sentence(rng, "en", int(rng.integers(4, 12)))
    return base


def camouflage(rng: np.random.Generator) -> str:
    """Bland lifestyle filler that network accounts post to look ordinary."""
    base = vocab.CAMOUFLAGE[int(rng.integers(0, len(vocab.CAMOUFLAGE)))]
    if rng.random() < 0.5:
        base += " " + vocab.EMOJI[int(rng.integers(0, len(vocab.EMOJI)))]
    return base


def fan_text(rng: np.random.Generator, lang: str) -> str:
    """A genuine fan's own words about the targets' cultural events."""
    bank = vocab.FAN_TEXTS.get(lang, vocab.FAN_TEXTS["en"])
    base = bank[int(rng.integers(0, len(bank)))]
    return base + " " + sentence(rng, lang, int(rng.integers(3, 10)))
