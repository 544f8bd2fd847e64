"""The one rule for text that people and scripts send in: what is refused, what is removed.

Refused (the form shows a field error, the API answers 422 with the field's location), because the
sender's text is broken and silently changing it would store something else than they meant:
- lone surrogates (U+D800–U+DFFF; JSON can carry them as ``\\ud800``, no database can store them),
  NUL and every other control character (C0, DEL, C1), except TAB, LF and CR in multi-line text;
- in single-line text (names, titles, keys, places, addresses): TAB, LF, CR and the Unicode line and
  paragraph separators too.

Removed from single-line text, because no one can mean them in a name and they only serve to make
one name look like another or to reverse what follows it on the screen:
- Unicode's bidirectional formatting characters (ALM, LRM, RLM, the embeddings and overrides
  U+202A–U+202E, the isolates U+2066–U+2069);
- zero-width characters (U+200B–U+200D, U+2060, U+FEFF). ZWJ and ZWNJ go too: Hangul and English
  never need them, and a name that differs only by one would be a look-alike duplicate.
Multi-line text (descriptions, notes, messages) keeps them: there they may be meant (emoji sequences
are joined by ZWJ) and each paragraph ends any direction change it starts.

Query strings are searches and filters, never stored, so ``CleanQueryStringMiddleware`` cleans them
without refusing anything: control characters become spaces, invisible ones are removed.

Applied by ``dari.core.api.InputSchema`` (every API input) and ``dari.core.forms.CleanTextMixin``
(every form).
"""

import re
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

# Lone surrogates, and control characters other than TAB, LF and CR.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
# Bidi_Control (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the zero-width characters.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def refusal(message, code: str, found: re.Match) -> ValidationError:
    return ValidationError(message, code=code, params={"character": f"U+{ord(found.group()):04X}"})


def clean_text(value: str, *, multiline: bool) -> str:
    """``value`` as it may be stored: single-line text without invisible formatting characters.

    Raises ``ValidationError`` (code ``not_text`` or ``line_break``) naming the first refused character.
    """
    found = NOT_TEXT.search(value)
    if found:
        raise refusal(
            _("Contains the character %(character)s, which cannot be stored; remove it."), "not_text", found
        )
    if multiline:
        return value
    found = LINE_BREAKS.search(value)
    if found:
        raise refusal(
            _("Must be a single line: remove the line break or tab (%(character)s)."), "line_break", found
        )
    return INVISIBLE.sub("", value)


def clean_query(value: str) -> str:
    """A search or filter value without anything a person could not mean: control characters (and
    lone surrogates) become spaces, invisible formatting characters go."""
    return INVISIBLE.sub("", LINE_BREAKS.sub(" ", NOT_TEXT.sub(" ", value)))


class CleanQueryStringMiddleware:
    """Cleans every query string (pages and API) with ``clean_query`` before any view reads it, so a
    stray NUL in ``?q=`` cannot reach the database (PostgreSQL refuses it, and the request would fail)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pairs = [(key, value) for key, values in request.GET.lists() for value in values]
        cleaned = [(clean_query(key), clean_query(value)) for key, value in pairs]
        if cleaned != pairs:
            request.GET = QueryDict(urlencode(cleaned))
        return self.get_response(request)
