"""The bilingual glossary expands short queries into the other language (no model needed)."""

import json

import pytest

from dari.engines.matching import glossary as glossary_module
from dari.engines.matching.glossary import (
    DOMAIN_TERM_FILE,
    PUBLIC_TERM_FILES,
    PUBLIC_TERMS,
    Glossary,
    domain_groups,
    specific_as_written,
)
from dari.engines.matching.tokens import tokenize


def test_a_korean_term_expands_to_english():
    assert "thyroid" in Glossary.default().expand("갑상선")
    assert {"glucose meter", "glucometer"} <= set(Glossary.default().expand("혈당측정기"))


def test_the_longest_term_a_query_mentions_wins(monkeypatch):
    # 혈당측정기 is a glucose meter, not blood glucose; gene therapy is neither gene nor therapy alone.
    glossary = Glossary([["혈당", "blood glucose"], ["혈당측정기", "glucose meter"], ["치료", "therapy"]])
    assert glossary.expand("혈당측정기") == ["glucose meter"]
    assert glossary.expand("혈당 측정기") == ["glucose meter"]  # the same compound, spaced
    assert glossary.expand("혈당 관리 치료") == ["blood glucose", "therapy"]
    english = Glossary([["gene", "유전자"], ["gene therapy", "유전자 치료"], ["therapy", "치료"]])
    assert english.expand("gene therapy trials") == ["유전자 치료"]
    assert english.expand("therapy for gene carriers") == ["유전자", "치료"]
    monkeypatch.setattr(glossary_module, "LONGEST_MATCH", False)
    assert set(glossary.expand("혈당측정기")) == {"blood glucose", "glucose meter"}


def test_an_english_term_expands_to_korean_plural_or_not():
    assert "혈당" in Glossary.default().expand("glucose")
    assert "백신" in Glossary.default().expand("Vaccines for adults")


def test_acronyms_match_only_in_capitals():
    assert "양전자방출단층촬영" in Glossary.default().expand("PET for amyloid")
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


def test_the_public_terms_load_and_expand_a_query_both_ways():
    # The OntoCraft registry's industrial terms (data/terms-ontocraft.json) beside the hand-written
    # groups; not served by default (PUBLIC_TERMS, chosen on the dev half), one setting away.
    glossary = Glossary.with_public_terms("alternatives")
    assert "LNG carrier" in glossary.expand("LNG운반선 건조")
    assert "LNG운반선" in glossary.expand("LNG carriers")
    assert "웨이퍼" in glossary.expand("silicon wafer")
    assert "LNG운반선" not in Glossary.hand_written().expand("LNG carriers")
    assert PUBLIC_TERMS == "none" and Glossary.default().groups == Glossary.with_public_terms("none").groups


def test_the_domain_terms_cross_into_the_other_language_only():
    # data/terms-domain.json, served across (DOMAIN_TERMS, chosen on the dev half): a Korean query gets
    # the group's English terms, not its other Korean spellings, and the reverse.
    assert glossary_module.DOMAIN_TERMS == "across"
    served = Glossary.default()
    assert {"mobile phone", "smartphone"} <= set(served.expand("휴대폰 부품"))
    assert not {"휴대전화", "스마트폰"} & set(served.expand("휴대폰 부품"))
    assert {"도네페질", "아리셉트"} <= set(served.expand("donepezil trials"))
    assert "memantine" in served.expand("메만틴")
    assert "smartphone" not in Glossary.hand_written().expand("휴대폰 부품")
    every = Glossary.with_public_terms("none", "all")
    assert {"휴대전화", "스마트폰"} <= set(every.expand("휴대폰 부품"))
    with pytest.raises(ValueError, match="domain terms"):
        Glossary.with_public_terms("none", "some")


def test_the_domain_term_file_states_its_source_and_licence():
    data = json.loads(DOMAIN_TERM_FILE.read_text(encoding="utf-8"))
    assert (
        data["source"]
        and data["licence"].startswith("AGPL-3.0")
        and "No labelled query" in data["description"]
    )
    assert all(group["ko"] and group["en"] and group["tier"] in (1, 2) for group in data["groups"])
    assert len(domain_groups(tiers=1)[0]) < len(domain_groups(tiers=2)[0]) == len(data["groups"])
    groups, quiet = domain_groups(across=True)
    assert len(groups) == sum(len(group["ko"]) + len(group["en"]) for group in data["groups"])
    assert all(
        group[0] not in silent and set(group[1:]) == set(silent)
        for group, silent in zip(groups, quiet, strict=True)
    )


def test_every_public_term_file_names_its_source_and_licence():
    for path in PUBLIC_TERM_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["licence"] == "CC BY 4.0"
        assert data["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
        assert data["source"]["name"] and data["attribution"] and data["changes"] and data["derived_by"]
        assert all(len(group["heads"]) + len(group["alternatives"]) > 1 for group in data["groups"])


def test_public_alternatives_are_served_only_when_asked():
    heads = Glossary.with_public_terms("heads")
    alternatives = Glossary.with_public_terms("alternatives")
    assert "dynamic random-access memory" in heads.expand("DRAM")
    assert "리소그래피" not in heads.expand("포토 공정") and "리소그래피" in alternatives.expand("포토 공정")
    assert "photolithography" in alternatives.expand("EUV 리소그래피 장비")
    assert heads.expand("EUV 리소그래피 장비") == []


def test_a_public_term_that_is_not_specific_as_written_is_added_but_never_matched():
    glossary = Glossary.with_public_terms("alternatives")
    # The registry's failure (고장, of equipment) and delivery (선박 인도, of a ship): added to a query
    # that names the thing, never read into "heart failure" or "drug delivery".
    assert "failure" in glossary.expand("설비 기능 상실")
    assert "delivery" in glossary.expand("선박 인도 일정")
    assert "선박 인도" not in glossary.expand("drug delivery")
    assert "고장" not in glossary.expand("heart failure")
    # 다이 (a chip's die) would match inside 다이오드; wafer is quiet, 웨이퍼 is not.
    assert glossary.expand("다이오드") == [] and "wafer" in glossary.expand("웨이퍼")
    specific = ("웨이퍼", "선박 인도", "LNG carrier", "DRAM", "SCADA")
    assert all(map(specific_as_written, specific))
    assert not any(map(specific_as_written, ("다이", "wafer", "failure", "CVD", "DC")))
    assert "chemical vapor deposition" not in glossary.expand("CVD risk in older adults")


def test_quiet_terms_are_kept_when_a_search_index_stores_its_glossary():
    glossary = Glossary([["선박 인도", "delivery"]], quiet=[["delivery"]])
    stored = Glossary.from_json(glossary.to_json())
    assert stored.quiet == [["delivery"]] and stored.expand("drug delivery") == []
    assert stored.expand("선박 인도") == ["delivery"]
    assert Glossary.from_json(Glossary([["앱", "app"]]).to_json()).expand("헬스 앱") == ["app"]
