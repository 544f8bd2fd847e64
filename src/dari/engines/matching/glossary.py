"""A bilingual glossary that expands short queries across Korean and English.

USE alone is weak on one- or two-word queries (갑상선 vs an English thyroid-care profile scores about
0.3, the same as unrelated text), and BM25 cannot cross languages at all. So a query that contains a
term of a group (``갑상선``, ``thyroid``) is expanded with the group's other terms before both
signals see it. The groups come from ``data/glossary.json`` (general biomedical and industrial terms,
hand-written), from ``data/terms-domain.json`` (the vocabulary of the registry's sectors, translated
by hand: ``DOMAIN_TERMS``), from term lists derived from public bilingual data
(``PUBLIC_TERM_FILES``, each stating its source and licence) and from any the caller passes in, e.g.
the registry taxonomy's ko/en names and synonyms.

Matching rules: Hangul terms of two or more syllables match anywhere in the query (Korean writes
compounds without spaces: 혈당측정기 contains 혈당); one-syllable Hangul terms (앱, 침) only as a whole
word; Latin terms as whole words (plural allowed), case-insensitively, except acronyms (CT, PET,
AI), which must be written in capitals so that "pet food" does not become a PET scan.

A group may hold quiet terms: added to a query that mentions the group, but never making a query
mention it. The public terms' spellings that are not specific as written are quiet
(``specific_as_written``): an industrial registry's "failure", "delivery" or "detection" would
otherwise turn "heart failure", "drug delivery" and "early detection" into equipment breakdowns,
ship handovers and FMEA ratings, its CVD (chemical vapour deposition) a cardiovascular disease into
a wafer process, and its 다이 (a chip's die) or 세정 (wafer cleaning) match inside 다이오드 and 세정제.
Hand-written groups have none: they were written for Dari's own domains.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from .tokens import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = DATA_DIR / "glossary.json"
#: Term groups derived from public bilingual data by ``scripts/derive_glossary_terms.py``; each file
#: states its source, licence and changes (attribution in NOTICE). Now: the OntoCraft Korean Industry
#: Term Registry (CC BY 4.0), 893 industrial terms (semiconductors, shipbuilding, ports, ...).
PUBLIC_TERM_FILES = (DATA_DIR / "terms-ontocraft.json",)
#: Which public terms ``Glossary.default()`` serves: ``"none"``, each term's Korean and English
#: headwords (``"heads"``), or its alternative spellings too (``"alternatives"``: 리소그래피 beside 포토
#: 공정 and photolithography). Chosen on the dev half (benchmarks/heldout_retrieval.py
#: --choose-public-terms; text-retrieval-public-terms.json; rule: the best F1, the fewer terms when
#: equal): no dev query mentions a public term that is specific as written, every choice gives the
#: same figures, and so none is served. The labelled set cannot tell whether they help.
PUBLIC_TERMS = "none"
#: Term groups written for Dari from the vocabulary of the organizations it registers: the frequent
#: nouns of Korean companies' product lists and the frequent terms of clinical-trial titles, each with
#: its translation (see the file's description). Hand-written like ``DATA_FILE``, and served as it is.
DOMAIN_TERM_FILE = DATA_DIR / "terms-domain.json"
#: Whether ``Glossary.default()`` serves ``DOMAIN_TERM_FILE``'s groups: ``"none"``, ``"across"`` (a
#: query gets the other language's terms only) or ``"all"`` (every term of the group). Chosen on the
#: dev half (benchmarks/heldout_retrieval.py --choose-domain-terms; text-retrieval-domain-terms.json).
DOMAIN_TERMS = "across"
#: Which of ``DOMAIN_TERM_FILE``'s tiers are served: 1, the terms of the most frequent words; 2, those
#: and the terms written later from less frequent ones. Chosen on the dev half
#: (benchmarks/heldout_retrieval.py --choose-domain-terms).
DOMAIN_TIERS = 2
#: Whether a term found inside a longer term the query mentions is ignored (gene therapy mentions the
#: gene-therapy group, not gene's nor therapy's; 체외진단 not 진단's), the longest match winning as
#: in a dictionary lookup. Chosen on the dev half (benchmarks/heldout_retrieval.py
#: --choose-domain-terms; text-retrieval-domain-terms.json).
LONGEST_MATCH = True
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


class Glossary:
    """Term groups, each a list of synonyms in Korean and/or English; ``quiet``, per group, the terms
    that are only added, never matched (see the module's docstring)."""

    def __init__(self, groups: list[list[str]], quiet: list[list[str]] | None = None):
        kept = []
        for group, silent in zip(groups, quiet or [[]] * len(groups), strict=True):
            terms = [term.strip() for term in group if term.strip()]
            if len(terms) > 1:
                kept.append((terms, [term.strip() for term in silent if term.strip() in terms]))
        self.groups = [terms for terms, _silent in kept]
        self.quiet = [silent for _terms, silent in kept]
        matchers = [[_matcher(term) for term in group] for group in self.groups]
        self._tests = [[test for _form, _key, test in group] for group in matchers]
        # The groups' matching terms by a key the query must hold for them to match (see _matcher), so
        # that a query tests the few terms that share its keys, not the thousands of the glossary.
        self._by_key: dict[tuple[int, str], list[tuple[int, str, Callable]]] = {}
        for number, ((terms, silent), group) in enumerate(zip(kept, matchers, strict=True)):
            for term, (form, key, test) in zip(terms, group, strict=True):
                if term not in silent:
                    self._by_key.setdefault((form, key), []).append((number, _span_key(term), test))

    @classmethod
    def default(cls) -> Glossary:
        """The glossary shipped with Dari: the hand-written groups, the domain terms if
        ``DOMAIN_TERMS`` and the public terms that ``PUBLIC_TERMS`` names."""
        return _default(PUBLIC_TERMS, DOMAIN_TERMS, DOMAIN_TIERS)

    @classmethod
    def hand_written(cls) -> Glossary:
        """The hand-written groups alone (``data/glossary.json``)."""
        return _default("none", "none", 0)

    @classmethod
    def with_public_terms(cls, which: str, domain: str | None = None, tiers: int | None = None) -> Glossary:
        """The hand-written groups, the domain terms (``domain`` and ``tiers``, by default as
        ``DOMAIN_TERMS`` and ``DOMAIN_TIERS``) and the public terms ``which`` names (as ``PUBLIC_TERMS``)."""
        return _default(
            which, DOMAIN_TERMS if domain is None else domain, DOMAIN_TIERS if tiers is None else tiers
        )

    def with_groups(self, extra_groups: list[list[str]], quiet: list[list[str]] | None = None) -> Glossary:
        """This glossary plus ``extra_groups`` (e.g. taxonomy synonyms: ``[["진단", "diagnostics"], …]``),
        with their quiet terms if any."""
        extra = [list(group) for group in extra_groups]
        return Glossary(self.groups + extra, self.quiet + (quiet or [[] for _group in extra]))

    def to_json(self) -> str:
        """The groups as stored in a search index: a list of groups (as before quiet terms) when none
        is quiet, else ``{"groups": …, "quiet": …}``; ``from_json`` reads both."""
        if not any(self.quiet):
            return json.dumps(self.groups, ensure_ascii=False)
        return json.dumps({"groups": self.groups, "quiet": self.quiet}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Glossary:
        data = json.loads(text)
        return cls(data) if isinstance(data, list) else cls(data["groups"], data["quiet"])

    def expand(self, query: str) -> list[str]:
        """The terms to add to ``query``: every other term of every group it mentions, in order, once."""
        folded = normalize(query)
        # What every matcher compares with, computed once per query (a pasted description is long).
        seen_as = (query, folded, set(folded.split()), folded.replace(" ", ""))
        added: list[str] = []
        seen = {folded}
        matched = {
            (number, span)
            for key in _keys(*seen_as)
            for number, span, test in self._by_key.get(key, ())
            if test(*seen_as)
        }
        if LONGEST_MATCH:
            spans = {span for _number, span in matched}
            matched = {
                (number, span)
                for number, span in matched
                if not any(len(other) > len(span) and span in other for other in spans)
            }
        mentioned = {number for number, _span in matched}
        for number in sorted(mentioned):
            for term, test in zip(self.groups[number], self._tests[number], strict=True):
                key = normalize(term)
                if key not in seen and not test(*seen_as):
                    seen.add(key)
                    added.append(term)
        return added


def _span_key(term: str) -> str:
    """What ``LONGEST_MATCH`` compares: the term folded, Hangul without spaces (유전자 치료 = 유전자치료)."""
    folded = normalize(term)
    return folded.replace(" ", "") if _HANGUL.search(term) else f" {folded} "


#: How many first characters of a Latin term key it (see ``_matcher``).
_LATIN_KEY = 4


def _matcher(term: str) -> tuple[int, str, Callable]:
    """How a query mentions ``term``: which of ``expand``'s forms of the query it is looked for in (0:
    as typed, 1: folded, 2: its folded words, 3: folded without spaces), a key that this form of
    the query holds whenever the term is there (``_keys`` lists a query's), and the test.

    The keys: a Hangul term's first two characters with a syllable among them (anywhere in the
    query); a one-syllable Hangul term itself (a whole word); a Latin term's first four characters
    (where a word begins: the test wants no letter or digit before the term), or none (tested on
    every query) for one that does not begin with a letter or digit."""
    folded = normalize(term)
    if _HANGUL.search(term):
        compact = folded.replace(" ", "")
        if len(compact) >= 2:
            key = next(
                compact[start : start + 2]
                for start in range(len(compact))
                if _HANGUL.search(compact[start : start + 2])
            )
            return 3, key, lambda query, text, words, compact_text: compact in compact_text
        return 2, folded, lambda query, text, words, compact_text: folded in words
    if term.isupper() and len(term) <= 5:
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])")
        key = term[:_LATIN_KEY] if term[:1] in _ALNUM else ""
        return 0, key, lambda query, text, words, compact_text: bool(pattern.search(query))
    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(folded)}(?:s|es)?(?![a-z0-9])")
    key = folded[:_LATIN_KEY] if folded[:1] in _LOWER_ALNUM else ""
    return 1, key, lambda query, text, words, compact_text: bool(pattern.search(text))


def _keys(query: str, text: str, words: set[str], compact_text: str) -> set[tuple[int, str]]:
    """The keys (``_matcher``'s) of every term a query could mention: its words, the pairs of
    characters of its compact form that hold a Hangul syllable, the beginnings (up to ``_LATIN_KEY``
    characters) of its Latin words, and the empty key of the terms tested on every query."""
    keys = {(2, word) for word in words} | {(0, ""), (1, "")}
    for syllable in _HANGUL.finditer(compact_text):
        position = syllable.start()
        keys.update(
            (
                (3, compact_text[max(0, position - 1) : position + 1]),
                (3, compact_text[position : position + 2]),
            )
        )
    for form, seen, alnum in ((0, query, _ALNUM), (1, text, _LOWER_ALNUM)):
        for start, character in enumerate(seen):
            if character in alnum and (start == 0 or seen[start - 1] not in alnum):
                keys.update((form, seen[start : start + size]) for size in range(1, _LATIN_KEY + 1))
    return keys


_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_LOWER_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def specific_as_written(term: str) -> bool:
    """Whether a public term may make a query mention its group: a Hangul term of three syllables or
    more, or of several words (선박 인도, 웨이퍼; not 다이, 세정); a Latin one of several words or an
    acronym of four characters or more (LNG carrier, DRAM, SCADA; not failure, wafer, nor the
    three-letter CVD, ERP or THC, which the trials' texts use for cardiovascular disease,
    event-related potentials and tetrahydrocannabinol)."""
    words = term.split()
    if _HANGUL.search(term):
        return len(words) > 1 or len(term) >= 3
    acronym = term.isupper() and len(term.replace("-", "")) >= 4
    return len(words) > 1 or acronym


def public_groups(alternatives: bool = True) -> tuple[list[list[str]], list[list[str]]]:
    """The groups of ``PUBLIC_TERM_FILES`` (each term's headwords, and its alternatives if asked) and
    each group's quiet terms (not ``specific_as_written``); a group none of whose terms is specific is
    left out, since nothing could make a query mention it."""
    groups, quiet = [], []
    for path in PUBLIC_TERM_FILES:
        for group in json.loads(path.read_text(encoding="utf-8"))["groups"]:
            terms = group["heads"] + (group["alternatives"] if alternatives else [])
            silent = [term for term in terms if not specific_as_written(term)]
            if len(silent) < len(terms):
                groups.append(terms)
                quiet.append(silent)
    return groups, quiet


def domain_groups(across: bool = False, tiers: int = 2) -> tuple[list[list[str]], list[list[str]]]:
    """``DOMAIN_TERM_FILE``'s groups of the first ``tiers`` tiers, each its Korean terms then its
    English ones, and each group's quiet terms: none; or, ``across``, one group per term with the
    other language's terms quiet, so that a query is expanded only into the other language (휴대폰
    adds smartphone, not 스마트폰)."""
    groups = [
        group
        for group in json.loads(DOMAIN_TERM_FILE.read_text(encoding="utf-8"))["groups"]
        if group["tier"] <= tiers
    ]
    if not across:
        return [group["ko"] + group["en"] for group in groups], [[] for _group in groups]
    split: list[list[str]] = []
    quiet: list[list[str]] = []
    for group in groups:
        for own, other in ((group["ko"], group["en"]), (group["en"], group["ko"])):
            for term in own:
                split.append([term, *other])
                quiet.append(list(other))
    return split, quiet


@cache
def _default(which: str, domain: str, tiers: int) -> Glossary:
    if which not in ("none", "heads", "alternatives"):
        raise ValueError(f"public terms: {which!r}, not none, heads or alternatives")
    if domain not in ("none", "across", "all"):
        raise ValueError(f"domain terms: {domain!r}, not none, across or all")
    glossary = Glossary(json.loads(DATA_FILE.read_text(encoding="utf-8"))["groups"])
    if domain != "none":
        glossary = glossary.with_groups(*domain_groups(across=domain == "across", tiers=tiers))
    if which == "none":
        return glossary
    return glossary.with_groups(*public_groups(alternatives=which == "alternatives"))
