"""Tokens for lexical matching: Korean morphemes (kiwipiepy) and lightly normalized English words.

Korean is agglutinative and writes compounds without spaces (``혈당측정스트립``, ``이차전지양극활물질``),
and Kiwi leaves unknown compounds whole. So besides Kiwi's nouns, roots and foreign words, every Hangul
token of three or more syllables also yields its syllable bigrams: a two-syllable query such as 혈당 or
갑상 then meets the compound that contains it, which is what makes 1–2-syllable searches work. English
words are lowercased, possessives dropped and plurals folded (``trials`` -> ``trial``), nothing more:
aggressive stemming hurts the product names and drug names this corpus is full of.

One Kiwi per process, loaded on first use (about 3 s: its model loads at the first analysis); the
functions here are thread-safe to call. Kiwi analyses in the calling thread (``num_workers=0``), not in
a pool of its own: a pool's threads do not survive a fork, and ``dari serve`` loads Kiwi before it forks
its web processes (the analysis releases the interpreter lock, so a process's threads still analyse at
once; measured on 1,500 KRX texts, tokens identical to the pool's).
"""

from __future__ import annotations

import re
import threading
import unicodedata
import warnings

_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
#: Kiwi tags kept: nouns, verb/adjective roots, foreign words, Chinese characters, numbers.
_KEPT_TAGS = ("NNG", "NNP", "NR", "XR", "SL", "SH", "SN", "VV", "VA")
#: Words that carry no topic (English function words; Korean ones are dropped by tag).
_STOPWORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or the to with without via vs versus "
    "study trial patients patient subjects participants effect effects".split()
)

_kiwi = None
_kiwi_lock = threading.Lock()


def kiwi():
    """The process's one Kiwi analyzer, created on first use."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                with warnings.catch_warnings():
                    # "behaviour of num_workers=0 changed in 0.21": it now means the calling thread.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    _kiwi = Kiwi(num_workers=0)
    return _kiwi


def normalize(text: str) -> str:
    """NFKC (full-width forms, compatibility jamo) and lowercase."""
    return unicodedata.normalize("NFKC", text).lower()


def english_word(word: str) -> str:
    """``Alzheimer's`` -> ``alzheimer``, ``therapies`` -> ``therapy``, ``devices`` -> ``device``."""
    word = word.removesuffix("'s").removesuffix("s'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word


def syllable_bigrams(word: str) -> list[str]:
    return [word[index : index + 2] for index in range(len(word) - 1)]


def tokenize(text: str) -> list[str]:
    """Lexical tokens of a text in Korean, English or both (order kept, duplicates kept for BM25)."""
    text = normalize(text)
    tokens: list[str] = []
    if _HANGUL.search(text):
        for token in kiwi().tokenize(text):
            if not token.tag.startswith(_KEPT_TAGS):
                continue
            form = token.form
            if _HANGUL.fullmatch(form):
                tokens.append(form)
                if len(form) >= 3:
                    tokens.extend(syllable_bigrams(form))
            else:
                tokens.extend(_english(form))
    else:
        tokens.extend(_english(text))
    return tokens


def _english(text: str) -> list[str]:
    words = (english_word(word) for word in _LATIN_WORD.findall(text))
    return [word for word in words if word and word not in _STOPWORDS]


def tokenize_many(texts: list[str]) -> list[list[str]]:
    """``tokenize`` for many texts (Kiwi analyses them in one batch call)."""
    return [tokenize(text) for text in texts]
