"""The candidates for the glossary's domain terms (src/dari/engines/matching/data/terms-domain.json).

Prints, with their document frequencies, the words the domain terms were written from: the Korean
nouns (Kiwi's NNG/NNP, two syllables or more) in at least ``--ko-min`` KRX product lists (주요제품;
the 업종 names are listed whole), the English words of four letters or more and word pairs in at
least ``--en-min`` ClinicalTrials.gov Alzheimer's studies' titles and conditions (a short list of
generic words left out), and the interventions named by at least ``--interventions-min`` studies.
Only the corpus's texts are read, never a labelled query. The translations in the domain-term file
were written by hand from this list (generic business and study words such as 제조, 판매, study,
patients left out), with the compounds and neighbours met while translating (체외진단, 위탁생산;
the Korean spellings of the drugs).

    .venv/bin/python benchmarks/matching/domain_term_candidates.py > /tmp/candidates.txt
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from corpus import load_krx, load_trials  # noqa: E402

#: Words too generic to search by, left out of the English candidates.
GENERIC = frozenset(
    """a an the of in and or for with to on at by from as is are be vs versus study trial effect effects
    patients patient subjects participants healthy adults adult older people individuals phase open label
    randomized randomised controlled double blind placebo placebo-controlled multicenter pilot single dose
    doses safety efficacy tolerability evaluate evaluation evaluating assess assessment investigate
    investigating compare comparing comparison long term extension using use based its their who without
    into after before during other among within between mild moderate severe early late high low new one
    two three disease disorder""".split()
)
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")


def korean_nouns(texts: list[str]) -> collections.Counter:
    from dari.engines.matching.tokens import kiwi

    frequencies: collections.Counter = collections.Counter()
    for text in texts:
        frequencies.update(
            {
                token.form
                for token in kiwi().tokenize(text)
                if token.tag in ("NNG", "NNP") and len(token.form) >= 2 and _HANGUL_WORD.fullmatch(token.form)
            }
        )
    return frequencies


def english_terms(texts: list[str]) -> collections.Counter:
    frequencies: collections.Counter = collections.Counter()
    for text in texts:
        words = _LATIN_WORD.findall(text.lower())
        found = {word for word in words if word not in GENERIC and len(word) >= 4}
        found |= {
            f"{a} {b}"
            for a, b in zip(words, words[1:], strict=False)
            if a not in GENERIC and b not in GENERIC
        }
        frequencies.update(found)
    return frequencies


def interventions(texts: list[str]) -> collections.Counter:
    return collections.Counter(
        part
        for text in texts
        for part in {piece.strip().lower() for piece in text.split(";") if piece.strip()}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ko-min", type=int, default=5)
    parser.add_argument("--en-min", type=int, default=10)
    parser.add_argument("--interventions-min", type=int, default=5)
    args = parser.parse_args()
    companies, trials = load_krx(), load_trials()
    lists = (
        ("Korean nouns in KRX product lists", korean_nouns([c.products for c in companies]), args.ko_min),
        ("KRX industries (업종)", collections.Counter(c.industry for c in companies), 1),
        (
            "English terms in trial titles and conditions",
            english_terms([f"{t.title}. {t.conditions}" for t in trials]),
            args.en_min,
        ),
        ("trial interventions", interventions([t.interventions for t in trials]), args.interventions_min),
    )
    for title, frequencies, minimum in lists:
        kept = [(term, count) for term, count in frequencies.most_common() if count >= minimum]
        print(f"# {title}: {len(kept)} in {minimum} or more")
        for term, count in kept:
            print(f"{count}\t{term}")


if __name__ == "__main__":
    main()
