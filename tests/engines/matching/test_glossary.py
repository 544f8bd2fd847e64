"""The bilingual glossary expands short queries into the other language (no model needed)."""

from dari.engines.matching.glossary import Glossary
from dari.engines.matching.tokens import tokenize


def test_a_korean_term_expands_to_english():
    assert "thyroid" in Glossary.default().expand("갑상선")
    assert {"blood glucose", "glucose"} <= set(Glossary.default().expand("혈당측정기"))


def test_an_english_term_expands_to_korean_plural_or_not():
    assert "혈당" in Glossary.default().expand("glucose")
    assert "백신" in Glossary.default().expand("Vaccines for adults")


def test_acronyms_match_only_in_capitals():
    assert "양전자방출단층촬영" in Glossary.default().expand("amyloid PET")
    assert "양전자방출단층촬영" not in Glossary.default().expand("pet food")


def test_one_syllable_korean_terms_match_only_whole_words():
    glossary = Glossary([["앱", "app"]])
    assert glossary.expand("헬스 앱") == ["app"]
    assert glossary.expand("앱솔루트") == []


def test_taxonomy_synonyms_from_the_caller_are_added():
    glossary = Glossary.default().with_groups([["갑상선 관리", "thyroid care", "Glandy"]])
    assert "Glandy" in glossary.expand("갑상선 관리 앱")


def test_korean_compounds_yield_syllable_bigrams_for_short_queries():
    tokens = tokenize("혈당측정스트립, 이차전지양극활물질")
    assert {"혈당", "양극"} <= set(tokens)
    assert tokenize("Alzheimer's disease trials") == ["alzheimer", "disease"]
