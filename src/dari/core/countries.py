"""Countries: stored as ISO 3166-1 alpha-2 codes (``KR``, ``US``), shown by name in the viewer's language.

The names and their Korean translations come from django-countries (CLDR-based, maintained with
Django's own translation machinery), so ``미국`` in Korean and ``United States of America`` in English.
"""

from django.utils.translation import override
from django_countries import countries


def country_name(code: str | None, language: str | None = None) -> str:
    """The name of the country ``code`` in ``language`` (the active one by default); an unknown code is
    returned as it is, an empty one as ``""``."""
    if not code:
        return ""
    if language:
        with override(language):
            return country_name(code)
    return str(countries.name(code.upper())) or code


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for every country, by name in the active language (Korean order in Korean)."""
    return sorted(((code, str(name)) for code, name in countries), key=lambda choice: choice[1].casefold())


def country_terms(code: str) -> str:
    """What a search for ``code`` may type: the code and the name in each language."""
    return " ".join([code, country_name(code, "ko"), country_name(code, "en")])
