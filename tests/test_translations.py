"""The Korean catalog is complete, and the compiled catalog matches it."""

from pathlib import Path

import polib

import dari

LOCALE = Path(dari.__file__).parent / "locale"


def test_korean_catalog_has_no_untranslated_or_fuzzy_entry():
    catalog = polib.pofile(str(LOCALE / "ko" / "LC_MESSAGES" / "django.po"))

    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []
    assert not catalog.metadata_is_fuzzy
    assert len(catalog) > 250


def test_compiled_korean_catalog_matches_the_source_catalog():
    source = polib.pofile(str(LOCALE / "ko" / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / "ko" / "LC_MESSAGES" / "django.mo"))

    def translations(catalog):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            for entry in catalog
            if entry.msgid
        }

    assert translations(compiled) == translations(source)
