"""Fuzzy name matching in either script: character trigrams over names, Hangul split into jamo.

A typo in a Korean name changes one jamo, not a whole syllable (``테크놀러지`` for ``테크놀로지``), so
Hangul syllables are decomposed into their jamo before taking trigrams; Latin names are lowercased
and stripped of punctuation and legal suffixes. A query is compared with every name by the Dice
coefficient of their trigram sets, through an inverted index (numpy arrays, no per-name Python loop),
so one look-up over 100,000 organizations stays in the low milliseconds. A query much longer than
every name (a pasted description) cannot reach the caller's ``minimum`` similarity with any of them,
so it is answered without touching the postings. The index stores as plain arrays (``to_arrays``):
computing the trigrams of 100,000 names again costs seconds at every load.

A query that is the *beginning* of a name (삼성바이오 for 삼성바이오로직스, "Samsung Bio") is how people
type names; its Dice coefficient is low when the name is long, so such a prefix scores at least
``PREFIX_SIMILARITY`` (an exact name scores 1); in Hangul from ``PREFIX_HANGUL_SYLLABLES`` (a product
word such as 레이저 begins company names too).

**Names across scripts.** Many organizations are recorded under one script only (a KRX company as
셀트리온, a San Diego startup as "Illumina"), and people type the other: "Celltrion", 일루미나.
``sound_key`` writes a name in either script as a coarse sound skeleton (consonant classes and a
vowel mark, the Korean epenthetic ㅡ dropped): 셀트리온 and "Celltrion" both read ``SVLTLVN``,
휴젤 and "Hugel" ``HVJVL``. A ``NameIndex`` over sound keys (``keys=SOUND``) compares a Latin query
with the Hangul names' keys and the reverse (``cross_script_names``), never a script with itself
(there the spelling says more than the sound). A query in Latin letters is read as a name only when
``written_as_name`` (the search counts other sound matches less: "tires" sounds like 탈로스).
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from .tokens import normalize

_CHOSEONG = "ᄀᄁᄂᄃᄄᄅᄆᄇᄈᄉᄊᄋᄌᄍᄎᄏᄐᄑᄒ"
_JUNGSEONG = "ᅡᅢᅣᅤᅥᅦᅧᅨᅩᅪᅫᅬᅭᅮᅯᅰᅱᅲᅳᅴᅵ"
_JONGSEONG = [""] + list("ᆨᆩᆪᆫᆬᆭᆮᆯᆰᆱᆲᆳᆴᆵᆶᆷᆸᆹᆺᆻᆼᆽᆾᆿᇀᇁᇂ")
_LEGAL_FORMS = re.compile(
    r"\(주\)|㈜|주식회사|\b(inc|corp|corporation|co|ltd|llc|plc|gmbh|limited|company)\b\.?"
)
_NOT_NAME = re.compile(r"[^0-9a-z\uac00-\ud7a3]+")
_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_NAME_UNIT = re.compile(r"[0-9a-z\uac00-\ud7a3]")  # a Hangul syllable, a letter or a digit
#: A query that begins a name scores at least this (an exact name scores 1): below exact, above any
#: fuzzy match of a short name (a Dice coefficient of 0.9 needs nearly every trigram shared).
PREFIX_SIMILARITY = 0.9
#: The shortest name (in trigrams of its key: letters, or jamo for Hangul) that counts as the beginning
#: of a longer query (``NameIndex.scores(within=True)``): "daewoong" (8) begins "Daewoong
#: Pharmaceutical", 셀트리온 (10 jamo) begins 셀트리온 바이오시밀러; a shorter one begins too many subject
#: queries (바이오, 6 jamo; 남성의류 begins with the company 남성). Measured on the dev half
#: (heldout_retrieval.py --choose-exact-names); the search does not use it (``search.NAMES_WITHIN``).
WITHIN_MINIMUM = 8
#: ``NameIndex`` keys: names as spelled (``name_key``) or as sounded (``sound_key``).
SPELLING, SOUND = "spelling", "sound"
#: The shortest key that counts as the beginning of a name: as spelled, two Hangul syllables ("현대"
#: is 4-6 jamo) or four letters; as sounded, six sounds (a sound key is coarser: "Yuhan" is VHVN,
#: the beginning of every name sounded yu-ha-n...). A shorter one begins too many names.
PREFIX_MINIMUM = {SPELLING: 4, SOUND: 6}
#: A query holding Hangul begins a name as spelled only from this many Hangul syllables, letters and
#: digits (삼성바이오, SK바이오): the words of two or three syllables that describe products begin
#: company names too (레이저 레이저옵텍, 바이오 바이오니아, 데이터 데이터스트림즈), and a short query's
#: "beginning" is looser than it looks (all its trigrams but the last in the name: 피부 "begins"
#: 피엔케이피부임상연구센타). Chosen on the dev half and the corpus words (heldout_retrieval.py
#: --probe-names): 2 (as before) let 29 of 2,661 words lose half of what they showed, 4 none.
PREFIX_HANGUL_SYLLABLES = 4
#: A group's mark before a Korean company name: one to three Latin letters (SK하이닉스, HD현대중공업,
#: CJ제일제당, LG화학), which people often leave out when they say or type the name (하이닉스,
#: 현대중공업) or translate only the rest (Hyundai Heavy Industries). ``group_name`` reads the rest.
GROUP_NAMES = True
#: The shortest sound key of a name without its group's mark that a query in Latin letters is
#: compared with: shorter ones sound like English words typed with a capital ("Discovery" as
#: SK디스커버리's 디스커버리, "Mobility" as KG모빌리티's 모빌리티), which would then hide what the word means.
#: Chosen on data no one labelled (heldout_retrieval.py --probe-group-names,
#: text-retrieval-group-names.json): the least minimum at which no word of the corpus, capitalized,
#: sounds like such a name.
GROUP_SOUND_MINIMUM = 10
_GROUP_MARK = re.compile(r"^[a-z]{1,3}[\s-]?(?=[\uac00-\ud7a3])")

# Sound classes: Hangul initial and final consonants, then Latin letters (see ``sound_key``).
# ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆ, ㅇ (silent), ㅈㅉㅊㅋㅌㅍㅎ
_INITIAL_SOUNDS = tuple("KKNTTLMPPSS") + ("",) + tuple("JJJKTPH")
_FINAL_SOUNDS = {
    "ᆨ": "K", "ᆩ": "K", "ᆪ": "K", "ᆫ": "N", "ᆬ": "N", "ᆭ": "N", "ᆮ": "T", "ᆯ": "L", "ᆰ": "K",
    "ᆱ": "M", "ᆲ": "L", "ᆳ": "L", "ᆴ": "L", "ᆵ": "P", "ᆶ": "L", "ᆷ": "M", "ᆸ": "P", "ᆹ": "P",
    "ᆺ": "T", "ᆻ": "T", "ᆼ": "G", "ᆽ": "T", "ᆾ": "T", "ᆿ": "K", "ᇀ": "T", "ᇁ": "P", "ᇂ": "T",
}  # fmt: skip
_VOWELS = frozenset("aeiou")
#: The names of the Latin letters as Korean writes them (LG: 엘지, SK: 에스케이).
_LETTER_NAMES = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        (
            "에이 비 씨 디 이 에프 지 에이치 아이 제이 케이 엘 엠 엔 "
            "오 피 큐 알 에스 티 유 브이 더블유 엑스 와이 제트"
        ).split(),
        strict=True,
    )
)
#: Latin letters sounded as Korean writes loanwords: an r after a vowel is heard only before a vowel
#: (Korea 코리아, but pharma 파마, card 카드, tire 타이어: a final silent e is dropped first), tz and ts
#: are ㅊ (vitzro 비츠로, sports 스포츠), dg before e, i or y is ㅈ (bridge 브리지), ti before a, o or u
#: is ㅅ (solution 솔루션, innovation 이노베이션; added later, with 5 more pairs). Read from the KRX
#: rows' own pairs of a Hangul name and a web address (2,489): their sound keys are equal for 687 with
#: it, 610 without. A query in Latin letters is also sounded so (``sound_variants``) when that key has
#: at least ``LOANWORD_MINIMUM`` sounds: shorter ones make common words sound like companies (Core,
#: Major); the index keeps the names' plain keys.
LOANWORD_SOUNDS = True
LOANWORD_MINIMUM = 9
_VOWELS_Y = frozenset("aeiouy")
_EU = 18  # ㅡ, the vowel Korean inserts between consonants of a loanword (스 in 로직스 = "s")
_LATIN_DIGRAPHS = re.compile(r"ph|th|sh|ch|zh|ck|ng(?![aeiou])|gh|qu|tz|ts|dg|ti(?=[aou])|[a-z]")
_LATIN_SOUNDS = {
    "ph": "P", "th": "T", "sh": "S", "ch": "J", "zh": "J", "ck": "K", "ng": "G", "gh": "", "qu": "K",
    "tz": "J", "ts": "J", "dg": "TK",
    "x": "KS", "c": "K", "b": "P", "p": "P", "f": "P", "v": "P", "d": "T", "t": "T", "k": "K", "q": "K",
    "g": "K", "j": "J", "z": "J", "s": "S", "l": "L", "r": "L", "m": "M", "n": "N", "h": "H",
    "a": "V", "e": "V", "i": "V", "o": "V", "u": "V",
}  # fmt: skip


def jamo(text: str) -> str:
    """Hangul syllables -> their jamo (``한`` -> ``한``); other characters unchanged."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            out.append(_CHOSEONG[code // 588] + _JUNGSEONG[(code % 588) // 28] + _JONGSEONG[code % 28])
        else:
            out.append(char)
    return "".join(out)


def name_key(name: str) -> str:
    """The comparable form of a name: no legal form, no spaces or punctuation, Hangul as jamo."""
    text = _LEGAL_FORMS.sub(" ", normalize(name))
    return jamo(_NOT_NAME.sub("", text))


def sound_key(name: str, loanword: bool = False) -> str:
    """A name's coarse sound in either script: consonant classes (K N T L M P S J H, G for the
    final ng) and V for a run of vowels, repeats collapsed; legal forms dropped. Korean: a silent
    ㅇ and the epenthetic ㅡ left out, a final ㅅ read T. Latin: soft c and g read S and J, a final
    silent e and h or w before a vowel left out, y a vowel after a consonant, a glide before one;
    a letter alone or an initialism without vowels (LG, SK, S-Oil's S) read by the letters' names,
    as Korean writes them (엘지, 에스케이, 에쓰). ``loanword``: Latin letters also as Korean writes
    loanwords (``LOANWORD_SOUNDS``)."""
    text = _LEGAL_FORMS.sub(" ", normalize(name))
    sounds: list[str] = []
    for word in re.findall(r"[a-z]+|[\uac00-\ud7a3]+", text):
        initialism = len(word) == 1 or (len(word) <= 3 and not _VOWELS & set(word))
        if initialism and not _HANGUL_SYLLABLE.match(word):
            word = "".join(_LETTER_NAMES[letter] for letter in word)
        sounds.append(_hangul_sounds(word) if _HANGUL_SYLLABLE.match(word) else _latin_sounds(word, loanword))
    return re.sub(r"(.)\1+", r"\1", "".join(sounds))


def _hangul_sounds(word: str) -> str:
    sounds = []
    for char in word:
        code = ord(char) - 0xAC00
        sounds.append(_INITIAL_SOUNDS[code // 588])
        sounds.append("" if (code % 588) // 28 == _EU else "V")
        sounds.append(_FINAL_SOUNDS.get(_JONGSEONG[code % 28], ""))
    return "".join(sounds)


def _latin_sounds(word: str, loanword: bool = False) -> str:
    spelled = word  # what follows a letter, a final silent e included (the c of "science")
    if len(word) > 3 and word.endswith("e") and word[-2] not in "aeiou":
        word = word[:-1]
    sounds = []
    for match in _LATIN_DIGRAPHS.finditer(word):
        part = match.group()
        before = word[match.start() - 1 : match.start()]
        after = spelled[match.end() : match.end() + 1]
        if part == "y":
            sounds.append("V" if before and before not in "aeiouy" else "")
        elif part == "w":
            sounds.append("")
        elif part == "h":
            sounds.append("H" if after and after in "aeiouy" else "")
        elif (
            part == "ti"
        ):  # solution 솔루션, innovation 이노베이션, potential 포텐셜: ti before a vowel is ㅅ
            sounds.append("S" if loanword else "TV")
        elif not loanword and part in ("tz", "ts", "dg"):
            sounds.append("".join(_LATIN_SOUNDS[letter] for letter in part))
        elif part == "dg":
            sounds.append("J" if after and after in "eiy" else "TK")  # bridge 브리지
        elif (
            loanword
            and part == "r"
            and before
            and before in "aeiouy"
            and word[match.end() : match.end() + 1] not in _VOWELS_Y
        ):
            sounds.append("")  # Korean writes an r after a vowel only before one (pharma 파마, tire 타이어)
        elif part in ("c", "g") and after and after in "eiy":
            sounds.append("S" if part == "c" else "J")
        else:
            sounds.append(_LATIN_SOUNDS[part])
    return "".join(sounds)


#: The words of company names that Korean names translate rather than transliterate, with the Korean
#: words they stand for ("Hanmi Pharmaceutical" is 한미약품, "LG Chem" LG화학, "Korea Electric Power"
#: 한국전력): common words of listed companies' English names, written for Dari, not taken from any
#: labelled query. ``sound_variants`` sounds a name in Latin letters with them.
COMPANY_WORDS = {
    "pharmaceutical": ("제약", "약품"),
    "pharmaceuticals": ("제약", "약품"),
    "pharma": ("제약", "약품"),
    "pharm": ("제약", "약품"),
    "petrochemical": ("석유화학",),
    "petrochemicals": ("석유화학",),
    "chemical": ("화학",),
    "chemicals": ("화학",),
    "chem": ("화학",),
    "electronics": ("전자",),
    "electric": ("전기",),
    "industries": ("산업", "공업"),
    "industrial": ("산업", "공업"),
    "industry": ("산업", "공업"),
    "heavy": ("중",),
    "holdings": ("지주",),
    "construction": ("건설",),
    "steel": ("철강", "제철"),
    "motor": ("자동차",),
    "motors": ("자동차",),
    "securities": ("증권",),
    "bank": ("은행",),
    "insurance": ("보험", "화재"),
    "life": ("생명",),
    "science": ("과학",),
    "sciences": ("과학",),
    "foods": ("식품",),
    "food": ("식품",),
    "telecom": ("통신",),
    "shipbuilding": ("조선",),
    "machinery": ("기계",),
    "materials": ("소재",),
    "medical": ("의료",),
    "korea": ("한국",),
    "korean": ("한국",),
    "power": ("전력",),
    "gas": ("가스",),
    "oil": ("정유",),
    "paper": ("제지",),
    "textile": ("방직", "섬유"),
    "cement": ("시멘트", "양회"),
}


def spelled_variants(query: str) -> list[str]:
    """Other spellings of a name as organizations write it, compared as spelled (``SPELLED_VARIANTS``):
    ``&`` as ``n``, as web addresses write it ("Samsung C&T" for samsungcnt.com, "Daewoo E&C" for
    daewooenc.com); an initialism beside Hangul by its letters' Korean names (동아ST for 동아에스티,
    as KRX records it). Empty when there is none."""
    if not SPELLED_VARIANTS:
        return []
    spellings = [_AMPERSAND.sub("n", query)]
    if is_hangul(query):
        spellings.append(_INITIALISM.sub(lambda match: _letter_names(match.group(0)), query))
    return [spelling for spelling in spellings if spelling != query]


def _letter_names(initialism: str) -> str:
    """An initialism read by its letters' Korean names (ST -> 에스티)."""
    return "".join(_LETTER_NAMES[letter] for letter in initialism.lower())


_AMPERSAND = re.compile(r"(?<=[A-Za-z])&(?=[A-Za-z])")
_INITIALISM = re.compile(r"(?<![A-Za-z])[A-Z]{1,3}(?![A-Za-z])")


#: Whether a name query is also compared as ``spelled_variants`` spells it. Chosen on the development
#: half (heldout_retrieval.py --choose-name-spellings, text-retrieval-name-spellings.json): dev names
#: P@10 0.897 -> 0.937, no corpus word losing half of what it showed.
SPELLED_VARIANTS = True
#: At most this many spellings of one query are sounded (each a look-up in the sound index).
MAXIMUM_SOUND_VARIANTS = 8


def sound_variants(query: str) -> list[str]:
    """The sound keys of a name in Latin letters with each of its ``COMPANY_WORDS`` as written or as
    the Korean words it stands for: "Hanmi Pharmaceutical" sounds as written, as "Hanmi 제약" and as
    "Hanmi 약품" (한미약품's sound). The first is the query's own ``sound_key``."""
    words = re.findall(r"[^\W_]+", query)
    choices = [
        (word, *COMPANY_WORDS.get(word.lower(), ())) if not is_hangul(word) else (word,) for word in words
    ]
    keys: list[str] = []
    for spelling in itertools.islice(itertools.product(*choices), MAXIMUM_SOUND_VARIANTS):
        key = sound_key(" ".join(spelling))
        if key and key not in keys:
            keys.append(key)
    if LOANWORD_SOUNDS:  # Hyundai Card as 현대카드 (the r unheard), only a key long enough to be a name
        for spelling in itertools.islice(itertools.product(*choices), MAXIMUM_SOUND_VARIANTS):
            key = sound_key(" ".join(spelling), loanword=True)
            if len(key) >= LOANWORD_MINIMUM and key not in keys:
                keys.append(key)
    return keys or [sound_key(query)]


#: Lowercase words that may stand in a name written with capitals ("Bank of Korea", "LG Chem Ltd.").
_NAME_PARTICLES = frozenset("of and the de inc corp co ltd llc plc gmbh limited company".split())


def written_as_name(query: str) -> bool:
    """Whether a query in Latin letters is written as a name is: each word begins with a capital or a
    digit ("Celltrion", "LG Chem", "VUNO", "3M"; "Bank of Korea" too), where a subject word is mostly
    typed in lower case ("tires", "gene therapy"). A query holding Hangul: True (Korean has no case to
    tell by). An English word sounds like some Korean name far more often than a name is typed in
    lower case: about one in seven words of the trials' texts has the sound key of a KRX company
    (tires and 탈로스, depression and 탑런토탈솔루션)."""
    if is_hangul(query):
        return True
    words = [word for word in re.findall(r"[^\W_]+", query) if word.lower() not in _NAME_PARTICLES]
    return bool(words) and all(word[0].isupper() or word[0].isdigit() for word in words)


#: The labels of a web address that say where it is, not whose it is (``co`` of ``co.kr``, ``www``).
_HOST_LABELS = frozenset("www com net org co or ac go ne re biz info".split())


def website_name(url: str) -> str:
    """The name an organization's web address gives it in Latin letters, as people type it:
    ``http://www.celltrion.com`` -> ``celltrion``, ``https://www.koreazinc.co.kr/eng`` -> ``koreazinc``,
    ``http://company.coway.com`` -> ``coway`` (the label before the top-level domain and a
    second-level one such as ``co.kr``); ``""`` when there is none. Many organizations are recorded
    under their Korean name alone (고려아연), and their address is the English name they chose."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower()).split("/")[0].split(":")[0]
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return ""
    labels = labels[:-1]  # the top-level domain
    while labels and labels[-1] in _HOST_LABELS:
        labels.pop()
    return labels[-1] if labels and len(labels[-1]) >= 2 else ""


def group_name(name: str) -> str:
    """A Korean company name without its group's mark (``GROUP_NAMES``): ``SK하이닉스`` ->
    ``하이닉스``, ``HD현대중공업`` -> ``현대중공업``; ``""`` when it has none, or when what is left is
    shorter than ``PREFIX_HANGUL_SYLLABLES`` Hangul syllables only (LG화학 -> 화학 is a subject word,
    not a name), or holds anything but Hangul."""
    text = normalize(name).strip()
    rest = _GROUP_MARK.sub("", text, count=1)
    if rest == text or not re.fullmatch(r"[\uac00-\ud7a3]+", rest) or len(rest) < PREFIX_HANGUL_SYLLABLES:
        return ""
    return rest


def group_sound_key(name: str) -> str:
    """The sound key of a name without its group's mark (``group_name``), when at least
    ``GROUP_SOUND_MINIMUM`` long; ``""`` otherwise."""
    rest = group_name(name)
    key = sound_key(rest) if rest else ""
    return key if len(key) >= GROUP_SOUND_MINIMUM else ""


def is_hangul(text: str) -> bool:
    """Whether the text holds any Hangul syllable (a name written, at least partly, in Korean)."""
    return bool(_HANGUL_SYLLABLE.search(text))


def cross_script_names(names: list[str], hangul: bool) -> list[str]:
    """The sound keys of the names written (at least partly) in Hangul (``hangul``), or in Latin
    letters (LG화학 is both): what a query in the other script is compared with. The Hangul ones also
    without a group's mark (``group_name``: 현대중공업 for HD현대중공업)."""
    latin = re.compile(r"[A-Za-z]")
    keys = [sound_key(name) for name in names if (is_hangul(name) if hangul else latin.search(name))]
    if hangul and GROUP_NAMES:  # HD현대중공업 also as 현대중공업: "Hyundai Heavy Industries"
        keys += [key for name in names if (key := group_sound_key(name))]
    return keys


def _grams(key: str) -> set[str]:
    if not key:
        return set()
    padded = f"^{key}$"
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def trigrams(name: str) -> set[str]:
    return _grams(name_key(name))


_KEYS = {SPELLING: name_key, SOUND: lambda key: key}  # a SOUND index is given sound keys already


def dice(left: str, right: str) -> float:
    """Similarity of two names in [0, 1] (1 = same name after normalization)."""
    a, b = trigrams(left), trigrams(right)
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


class NameIndex:
    """Trigram postings over every name of every document (a document may have several names)."""

    #: The keys of ``to_arrays``.
    ARRAYS = ("grams", "rows", "starts", "sizes", "owners", "document_count", "keys")

    def __init__(self, names_per_document: list[list[str]], keys: str = SPELLING):
        """``keys``: ``SPELLING`` (names as given) or ``SOUND`` (``names_per_document`` holds sound
        keys, and so must every query: see ``sound_key``)."""
        self.keys = keys
        self._gram_ids: dict[str, int] = {}
        documents = np.arange(len(names_per_document))
        self._set(len(names_per_document), *self._postings(names_per_document, documents, first_row=0))

    def _postings(self, names_per_document, documents, first_row: int):
        """(gram id, row) per posting and (size, owner) per row of these documents' names; grams not
        seen before get the next ids."""
        gram_ids = self._gram_ids
        rows: list[int] = []
        grams: list[int] = []
        sizes: list[int] = []
        owners: list[int] = []
        for document, names in zip(documents, names_per_document, strict=True):
            for name in names:
                name_grams = _grams(_KEYS[self.keys](name))
                if not name_grams:
                    continue
                row = first_row + len(sizes)
                sizes.append(len(name_grams))
                owners.append(int(document))
                for gram in name_grams:
                    grams.append(gram_ids.setdefault(gram, len(gram_ids)))
                    rows.append(row)
        return (
            np.asarray(grams, dtype=np.int64),
            np.asarray(rows, dtype=np.int32),
            np.asarray(sizes, dtype=np.float32),
            np.asarray(owners, dtype=np.int64),
        )

    def _set(self, document_count: int, grams, rows, sizes, owners) -> None:
        self.document_count = document_count
        order = np.argsort(grams, kind="stable")
        self._rows = rows[order]
        self._starts = np.searchsorted(grams[order], np.arange(len(self._gram_ids) + 1))
        self._sizes = sizes
        self._owners = owners
        self._largest = float(self._sizes.max()) if len(self._sizes) else 0.0

    def reordered(self, old_positions: np.ndarray, names_per_document: list[list[str]]) -> NameIndex:
        """The index of another list of documents, reusing this one's postings where it can.

        ``old_positions[i]``: document ``i``'s position in this index if its names are unchanged, or
        -1, and then its ``names_per_document[i]`` are indexed. Scores equal a fresh ``NameIndex``'s
        (rows are numbered differently, which no score depends on); an update of 100,000 documents
        then costs the trigrams of the changed ones, not of all (seconds).
        """
        old_positions = np.asarray(old_positions, dtype=np.int64)
        index = NameIndex.__new__(NameIndex)
        index.keys = self.keys
        index._gram_ids = dict(self._gram_ids)
        kept = old_positions >= 0
        new_of_old = np.full(self.document_count, -1, dtype=np.int64)
        new_of_old[old_positions[kept]] = np.flatnonzero(kept)
        row_owners = new_of_old[self._owners]
        kept_rows = row_owners >= 0
        row_numbers = (np.cumsum(kept_rows) - 1).astype(np.int32)
        posting_grams = np.repeat(np.arange(len(self._starts) - 1, dtype=np.int64), np.diff(self._starts))
        kept_postings = kept_rows[self._rows]
        fresh = np.flatnonzero(~kept)
        grams, rows, sizes, owners = index._postings(
            [names_per_document[position] for position in fresh], fresh, first_row=int(kept_rows.sum())
        )
        index._set(
            len(old_positions),
            np.concatenate([posting_grams[kept_postings], grams]),
            np.concatenate([row_numbers[self._rows[kept_postings]], rows]),
            np.concatenate([self._sizes[kept_rows], sizes]),
            np.concatenate([row_owners[kept_rows], owners]),
        )
        return index

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The postings as arrays (the grams as one newline-separated UTF-8 text; no gram holds one)."""
        grams = "\n".join(sorted(self._gram_ids, key=self._gram_ids.__getitem__))
        return {
            "grams": np.frombuffer(grams.encode("utf-8"), dtype=np.uint8),
            "rows": self._rows,
            "starts": self._starts.astype(np.int64),
            "sizes": self._sizes,
            "owners": self._owners,
            "document_count": np.asarray([self.document_count], dtype=np.int64),
            "keys": np.frombuffer(self.keys.encode("utf-8"), dtype=np.uint8),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> NameIndex:
        """The index ``to_arrays`` wrote, without computing any trigram again."""
        index = cls.__new__(cls)
        index.document_count = int(arrays["document_count"][0])
        index.keys = arrays["keys"].tobytes().decode("utf-8")
        text = arrays["grams"].tobytes().decode("utf-8")
        index._gram_ids = {gram: number for number, gram in enumerate(text.split("\n"))} if text else {}
        index._rows = np.asarray(arrays["rows"], dtype=np.int32)
        index._starts = np.asarray(arrays["starts"], dtype=np.int64)
        index._sizes = np.asarray(arrays["sizes"], dtype=np.float32)
        index._owners = np.asarray(arrays["owners"], dtype=np.int64)
        index._largest = float(index._sizes.max()) if len(index._sizes) else 0.0
        return index

    def scores(
        self,
        query: str,
        minimum: float = 0.0,
        prefixes: bool = True,
        within: bool = False,
        endings: bool = False,
    ) -> np.ndarray:
        """Best similarity between the query and any name of each document (0 when none shared): the
        Dice coefficient of their trigrams, at least ``PREFIX_SIMILARITY`` when the query (a key of at
        least ``PREFIX_MINIMUM`` characters) begins the name (unless ``prefixes`` is false), 1 when it
        is the name. With ``within``, also at least ``PREFIX_SIMILARITY`` when a name of at least
        ``WITHIN_MINIMUM`` characters begins the query (every trigram of the name but its last is in
        the query: "Daewoong Pharmaceutical" for daewoong, 셀트리온 바이오시밀러 for 셀트리온). With
        ``endings``, a query in Hangul of ``PREFIX_HANGUL_SYLLABLES`` or more that ends a name (every
        trigram of it but its first is in the name: 가스공사 for 한국가스공사) scores as one that begins it.

        With ``minimum`` > 0 the caller ignores smaller similarities, and a query whose trigram count
        ``t`` is such that even the largest name (``s`` trigrams) cannot reach it — Dice is at most
        ``2s / (s + t)``, and such a query is longer than any name it could begin — returns zeros at
        once (a long description pasted as a query).
        """
        result = np.zeros(self.document_count, dtype=np.float32)
        key = _KEYS[self.keys](query)
        query_trigrams = _grams(key)
        total = len(query_trigrams)
        if minimum > 0 and 2 * self._largest < minimum * (self._largest + total):
            return result
        query_grams = [self._gram_ids[gram] for gram in query_trigrams if gram in self._gram_ids]
        if not query_grams or not len(self._sizes):
            return result
        postings = np.concatenate([self._rows[self._starts[g] : self._starts[g + 1]] for g in query_grams])
        shared = np.bincount(postings, minlength=len(self._sizes)).astype(np.float32)
        hit_rows = np.flatnonzero(shared)
        similarity = 2 * shared[hit_rows] / (self._sizes[hit_rows] + total)
        if self.keys == SPELLING and is_hangul(query):
            prefixes = prefixes and len(_NAME_UNIT.findall(normalize(query))) >= PREFIX_HANGUL_SYLLABLES
        if prefixes and len(key) >= PREFIX_MINIMUM[self.keys]:
            # Every trigram of the query but its last ("…x$") is in the name: the query begins it.
            begins = shared[hit_rows] - self._holding(f"{key[-2:]}$")[hit_rows] >= total - 1
            similarity = np.where(begins, np.maximum(similarity, PREFIX_SIMILARITY), similarity)
        if endings and prefixes and self.keys == SPELLING and is_hangul(query) and len(key) >= 2:
            # Every trigram but its first ("^x…"): the query ends the name.
            ended = shared[hit_rows] - self._holding(f"^{key[:2]}")[hit_rows] >= total - 1
            similarity = np.where(ended, np.maximum(similarity, PREFIX_SIMILARITY), similarity)
        if within and self.keys == SPELLING:
            sizes = self._sizes[hit_rows]
            end = self._gram_ids.get(f"{key[-2:]}$")  # a name ending as the query does holds it too
            ends = np.zeros(len(hit_rows), dtype=np.float32)
            if end is not None:
                ends = np.isin(hit_rows, self._rows[self._starts[end] : self._starts[end + 1]])
            begun = (shared[hit_rows] - ends >= sizes - 1) & (sizes >= WITHIN_MINIMUM) & (sizes < total)
            similarity = np.where(begun, np.maximum(similarity, PREFIX_SIMILARITY), similarity)
        np.maximum.at(result, self._owners[hit_rows], similarity)
        return result

    def _holding(self, gram: str) -> np.ndarray:
        """1 for each name (row) holding ``gram``, 0 for the others."""
        held = np.zeros(len(self._sizes), dtype=np.float32)
        number = self._gram_ids.get(gram)
        if number is not None:
            held[self._rows[self._starts[number] : self._starts[number + 1]]] = 1
        return held
