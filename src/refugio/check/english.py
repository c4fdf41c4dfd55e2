"""Rule 5: answers are in English.

"Your answers must be completed in English. Forms completed in a language other than English
will be returned to you." (instructions, Part 1 §V, p. 5). A program cannot tell English from
Spanish, but it can tell the Latin script from others: a letter of any other script (Cyrillic,
Arabic, CJK, Ethiopic...) or a non-ASCII digit means untransliterated text. Accented Latin
letters (é, ñ, ş) are fine: names keep them. The one box meant for another script is Part D's
"your name in your native alphabet".
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator

from pydantic import BaseModel

from refugio.check.finding import Finding, error
from refugio.model import Application

__all__ = ["english", "non_latin"]

_NATIVE_ALPHABET = "signature.native_alphabet_name"
# Letters whose Unicode name does not say LATIN but that Latin-script text uses: the Spanish
# and Portuguese ordinals (1º, 2ª), the micro sign, and the modifier letters of transliteration
# and of place names such as Hawaiʻi (ʻokina) and Zhytomyrʼ.
_LATIN_EXTRAS = frozenset("ªºµ")


def _foreign(char: str) -> bool:
    if char.isalpha():
        name = unicodedata.name(char, "")
        latin = "LATIN" in name.split() or name.startswith("MODIFIER LETTER")
        return not (latin or char in _LATIN_EXTRAS)
    return not char.isascii() and unicodedata.decimal(char, None) is not None


def non_latin(text: str) -> bool:
    """Whether ``text`` has a letter outside the Latin script or a non-ASCII digit."""
    return any(_foreign(char) for char in text)


def _strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, element in enumerate(value):
            yield from _strings(element, f"{path}[{i}]")


def english(app: Application, today: dt.date) -> Iterator[Finding]:
    """No answer except the native-alphabet name contains a non-Latin script."""
    for path, text in _strings(app, ""):
        if path != _NATIVE_ALPHABET and non_latin(text):
            excerpt = text if len(text) <= 40 else text[:39] + "…"
            yield error(
                path,
                f"not in English: {excerpt!r} is not in the Latin alphabet; "
                "answers must be completed in English (transliterate names and places)",
            )
