"""A bilingual glossary that expands short queries across Korean and English.

USE alone is weak on one- or two-word queries (갑상선 vs an English thyroid-care profile scores about
0.3, the same as unrelated text), and BM25 cannot cross languages at all. So a query that contains a
term of a group (``갑상선``, ``thyroid``) is expanded with the group's other terms before both
signals see it. The groups come from ``data/glossary.json`` (general biomedical and industrial terms,
hand-written) plus any the caller passes in, e.g. the registry taxonomy's ko/en names and synonyms.

Matching rules: Hangul terms of two or more syllables match anywhere in the query (Korean writes
compounds without spaces: 혈당측정기 contains 혈당); one-syllable Hangul terms (앱, 침) only as a whole
word; Latin terms as whole words (plural allowed), case-insensitively, except acronyms (CT, PET,
AI), which must be written in capitals so that "pet food" does not become a PET scan.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from .tokens import normalize

DATA_FILE = Path(__file__).resolve().parent / "data" / "glossary.json"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


class Glossary:
    """Term groups, each a list of synonyms in Korean and/or English."""

    def __init__(self, groups: list[list[str]]):
        self.groups = [[term.strip() for term in group if term.strip()] for group in groups]
        self.groups = [group for group in self.groups if len(group) > 1]
        self._matchers = [[_matcher(term) for term in group] for group in self.groups]

    @classmethod
    def default(cls) -> Glossary:
        """The glossary shipped with Dari (``data/glossary.json``)."""
        return _default()

    def with_groups(self, extra_groups: list[list[str]]) -> Glossary:
        """This glossary plus ``extra_groups`` (e.g. taxonomy synonyms: ``[["진단", "diagnostics"], …]``)."""
        return Glossary(self.groups + [list(group) for group in extra_groups])

    def expand(self, query: str) -> list[str]:
        """The terms to add to ``query``: every other term of every group it mentions, in order, once."""
        folded = normalize(query)
        # What every matcher compares with, computed once per query (a pasted description is long).
        seen_as = (query, folded, set(folded.split()), folded.replace(" ", ""))
        added: list[str] = []
        seen = {folded}
        for group, matchers in zip(self.groups, self._matchers, strict=True):
            if not any(matcher(*seen_as) for matcher in matchers):
                continue
            for term, matcher in zip(group, matchers, strict=True):
                key = normalize(term)
                if key not in seen and not matcher(*seen_as):
                    seen.add(key)
                    added.append(term)
        return added


def _matcher(term: str):
    folded = normalize(term)
    if _HANGUL.search(term):
        if len(folded.replace(" ", "")) >= 2:
            compact = folded.replace(" ", "")
            return lambda query, text, words, compact_text: compact in compact_text
        return lambda query, text, words, compact_text: folded in words
    if term.isupper() and len(term) <= 5:
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])")
        return lambda query, text, words, compact_text: bool(pattern.search(query))
    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(folded)}(?:s|es)?(?![a-z0-9])")
    return lambda query, text, words, compact_text: bool(pattern.search(text))


@cache
def _default() -> Glossary:
    return Glossary(json.loads(DATA_FILE.read_text(encoding="utf-8"))["groups"])
