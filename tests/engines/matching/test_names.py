"""Names as people type them: the beginning of a name, and names across scripts by their sound."""

import numpy as np
import pytest

from dari.engines.matching.names import (
    PREFIX_SIMILARITY,
    SOUND,
    NameIndex,
    cross_script_names,
    group_name,
    sound_key,
    sound_variants,
    website_name,
    written_as_name,
)


@pytest.mark.parametrize(
    ("korean", "latin"),
    [
        ("셀트리온", "Celltrion"),  # ㅡ in 트 is the vowel Korean inserts: "t" of Celltrion
        ("휴젤", "Hugel"),  # a soft g reads as ㅈ
        ("씨젠", "Seegene"),  # a final silent e
        ("뷰노", "VUNO"),
        ("삼성바이오로직스", "Samsung Biologics"),  # ng as the final ㅇ
        ("한화에어로스페이스", "Hanwha Aerospace"),  # the soft c before the silent e
        ("항저우", "Hangzhou"),
        ("엘지화학", "LG화학"),  # an initialism read by the letters' names
        ("에쓰오일", "S-Oil"),
        ("SK하이닉스", "SK hynix"),
        ("유니스트", "UNIST"),
    ],
)
def test_a_name_sounds_the_same_in_hangul_and_in_latin_letters(korean, latin):
    assert sound_key(korean) == sound_key(latin)


@pytest.mark.parametrize(
    ("korean", "latin"),
    [
        ("현대카드", "Hyundai Card"),  # an r after a vowel is heard only before one
        ("넥센타이어", "Nexen Tire"),
        ("서플러스글로벌", "Surplus Global"),
        ("코리아", "Korea"),
        ("비츠로셀", "Vitzrocell"),  # tz and ts as ㅊ
        ("스포츠", "sports"),
        ("에너지솔루션", "Energy Solution"),  # ti before a vowel as ㅅ
        ("이노베이션", "innovation"),
    ],
)
def test_latin_letters_sound_as_korean_writes_loanwords(korean, latin):
    assert sound_key(latin, loanword=True) == sound_key(korean)


def test_a_name_in_latin_letters_is_also_sounded_as_a_loanword_only_when_long_enough():
    assert sound_key("서플러스글로벌") in sound_variants("Surplus Global")
    assert sound_key("코어") == sound_key("Core", loanword=True)
    assert sound_key("코어") not in sound_variants("Core")  # a word, not a name: too short a sound
    assert sound_variants("Celltrion") == [sound_key("Celltrion")]


@pytest.mark.parametrize(
    ("one", "other"),
    [("셀트리온", "셀비온"), ("Hugel", "Hanmi"), ("고려아연", "Korea Zinc"), ("삼성", "Samsung Biologics")],
)
def test_names_that_sound_different_keep_different_keys(one, other):
    assert sound_key(one) != sound_key(other)


def test_legal_forms_do_not_count_in_the_sound():
    assert sound_key("Celltrion Inc.") == sound_key("(주)셀트리온") == sound_key("셀트리온")


def test_a_query_that_begins_a_name_scores_the_prefix_similarity_and_the_whole_name_one():
    index = NameIndex([["삼성바이오로직스"], ["우정바이오"], ["셀트리온"], ["셀트리온제약"]])
    scores = index.scores("삼성바이오")
    assert scores[0] == pytest.approx(PREFIX_SIMILARITY)
    assert scores[1] < 0.7  # shares 바이오 only
    celltrion = index.scores("셀트리온")
    assert celltrion[2] == pytest.approx(1.0)
    assert celltrion[3] == pytest.approx(PREFIX_SIMILARITY)


def test_a_short_query_begins_no_name():
    # One syllable (3 jamo) or three letters begin too many names to count as a beginning.
    index = NameIndex([["삼성바이오로직스"], ["Samsung Biologics"]])
    assert index.scores("삼")[0] < PREFIX_SIMILARITY
    assert index.scores("Sam")[1] < PREFIX_SIMILARITY


def test_sound_postings_compare_a_latin_query_with_the_hangul_names_only():
    names = [["셀트리온"], ["Celltrion Healthcare"], ["LG화학"], ["Hugel", "휴젤"]]
    hangul = NameIndex([cross_script_names(each, hangul=True) for each in names], SOUND)
    latin = NameIndex([cross_script_names(each, hangul=False) for each in names], SOUND)
    assert hangul.scores(sound_key("Celltrion")).tolist()[:2] == [1.0, 0.0]
    assert latin.scores(sound_key("엘지화학"))[2] == pytest.approx(1.0)  # LG화학 has Latin letters too
    assert latin.scores(sound_key("휴젤"))[3] == pytest.approx(1.0)
    copy = NameIndex.from_arrays(hangul.to_arrays())
    assert copy.keys == SOUND
    assert np.array_equal(copy.scores(sound_key("Hugel")), hangul.scores(sound_key("Hugel")))


def test_a_short_korean_word_begins_no_name_a_longer_query_does():
    # 레이저 (laser) is how a product is described, and also how 레이저옵텍's name begins: from four
    # syllables, letters or digits a query in Hangul counts as the beginning of a name.
    index = NameIndex([["레이저옵텍"], ["삼성바이오로직스"], ["SK바이오사이언스"]])
    assert index.scores("레이저")[0] < PREFIX_SIMILARITY
    assert index.scores("삼성바이오")[1] == pytest.approx(PREFIX_SIMILARITY)
    assert index.scores("SK바이오")[2] == pytest.approx(PREFIX_SIMILARITY)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Celltrion", True),
        ("LG Chem", True),
        ("VUNO", True),
        ("3M", True),
        ("Bank of Korea", True),  # a lowercase particle of a name
        ("셀트리온", True),  # Hangul has no case to tell by
        ("pain", False),
        ("celltrion", False),
        ("gene therapy", False),
        ("GLP-1 receptor agonists", False),
    ],
)
def test_a_query_in_latin_letters_is_written_as_a_name_when_each_word_begins_with_a_capital(query, expected):
    assert written_as_name(query) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.celltrion.com", "celltrion"),
        ("https://www.koreazinc.co.kr/eng/index.do", "koreazinc"),
        ("http://www.vuno.co", "vuno"),  # .co is the top-level domain here
        ("http://company.coway.com", "coway"),  # the label before the domain's end, not the host's
        ("www.unist.ac.kr", "unist"),
        ("", ""),
        ("localhost", ""),
    ],
)
def test_a_web_address_gives_the_name_before_its_domain_ending(url, expected):
    assert website_name(url) == expected


def test_company_words_are_sounded_as_the_korean_words_they_stand_for():
    # 한미약품 translates "Pharmaceutical" (약품), it does not transliterate it.
    variants = sound_variants("Hanmi Pharmaceutical")
    assert variants[0] == sound_key("Hanmi Pharmaceutical")
    assert sound_key("한미약품") in variants and sound_key("대웅제약") in sound_variants("Daewoong Pharma")
    assert sound_key("LG화학") in sound_variants("LG Chem")
    assert sound_variants("Celltrion") == [sound_key("Celltrion")]


def test_a_name_that_begins_a_longer_query_scores_the_prefix_similarity_only_when_asked():
    index = NameIndex([["daewoong"], ["바이오"], ["daewoong pharmaceutical"]])
    plain = index.scores("Daewoong Pharmaceutical")
    within = index.scores("Daewoong Pharmaceutical", within=True)
    assert plain[0] < PREFIX_SIMILARITY <= within[0]
    assert within[2] == pytest.approx(1.0)
    # A short name (6 jamo) does not begin every query that starts with it.
    assert index.scores("바이오 의약품", within=True)[1] < PREFIX_SIMILARITY


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SK하이닉스", "하이닉스"),
        ("HD현대중공업", "현대중공업"),
        ("CJ 바이오사이언스", "바이오사이언스"),
        ("LG화학", ""),  # 화학 is a subject word: too short to stand for the name
        ("셀트리온", ""),  # no group's mark
        ("S-Oil", ""),
        ("SK hynix", ""),
    ],
)
def test_a_group_mark_is_read_off_a_korean_company_name(name, expected):
    assert group_name(name) == expected


def test_the_hangul_sound_keys_include_the_names_without_their_group_mark():
    keys = cross_script_names(["HD현대중공업"], hangul=True)
    assert sound_key("현대중공업") in keys and sound_key("HD현대중공업") in keys
    assert sound_key("현대중공업") in sound_variants("Hyundai Heavy Industries")
    assert cross_script_names(["HD현대중공업"], hangul=False) == [sound_key("HD현대중공업")]
