"""Rule 5: answers are in English.

"Your answers must be completed in English. Forms completed in a language other than English
will be returned to you." (instructions, Part 1 §V, p. 5). A program cannot tell English from
Spanish with certainty, but it can tell the Latin script from others: a letter of any other
script (Cyrillic, Arabic, CJK, Ethiopic...) or a non-ASCII digit means untransliterated text
(an error). Accented Latin letters (é, ñ, ş) are fine: names keep them. The one box meant for
another script is Part D's "your name in your native alphabet".

Latin-script text in another language is caught by its function words ("que", "les", "não"):
an answer of several words made of them, with almost no English ones, is most likely not
English (a warning: names and places are never counted, a phrase can be borrowed).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator

from pydantic import BaseModel

from refugio.check.finding import Finding, error, phrase, warning
from refugio.model import Application

__all__ = ["english", "looks_foreign", "non_latin"]

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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The most frequent function words of the Latin-script languages applicants most often write
# in (Spanish, French, Portuguese, Haitian Creole), leaving out any that is also an English word
# ("me", "do", "men").
_FUNCTION_WORDS = {
    "Spanish": _words(
        "el la los las que y del por con para una mi fue mis pero como porque cuando nos "
        "muy está estaba eran también había sus ellos le se"
    ),
    "French": _words(
        "le les et est une des du pour qui dans que ne pas avec mais je nous ils elle été "
        "était mon ma mes sur au aux"
    ),
    "Portuguese": _words(
        "não que uma com os da das dos para por mas como foi eu nós ele ela meu minha "
        "muito também quando e se"
    ),
    "Haitian Creole": _words("mwen nou yo li pou ak ki nan pa te gen sa lè paske"),
}
# The same names as phrases, for a front end to translate.
_LANGUAGE_NAMES = {
    "Spanish": phrase("Spanish"),
    "French": phrase("French"),
    "Portuguese": phrase("Portuguese"),
    "Haitian Creole": phrase("Haitian Creole"),
}
_ENGLISH = _words(
    "the and of to in was my we they he she it that with for on by from were had have is "
    "because when but"
)
_MIN_WORDS = 8  # shorter answers are names, places, statuses and organisations


def looks_foreign(text: str) -> str | None:
    """The language ``text`` seems to be written in, if it is clearly not English."""
    words = [w.strip(".,;:!?¿¡()\"'«»").lower() for w in text.split()]
    words = [w for w in words if w]
    if len(words) < _MIN_WORDS or sum(w in _ENGLISH for w in words) / len(words) > 0.05:
        return None
    language, hits = max(
        ((lang, sum(w in table for w in words)) for lang, table in _FUNCTION_WORDS.items()),
        key=lambda pair: pair[1],
    )
    return language if hits / len(words) >= 0.25 else None


def _invisible(text: str) -> str | None:
    """The first control or format character (NUL, TAB, zero-width space, bidi override, soft
    hyphen…); a line break is allowed, narratives have paragraphs."""
    return next(
        (c for c in text if c not in "\n\r" and unicodedata.category(c) in ("Cc", "Cf")), None
    )


def english(app: Application, today: dt.date) -> Iterator[Finding]:
    """No answer except the native-alphabet name is in a non-Latin script or clearly not English."""
    for path, text in _strings(app, ""):
        if path == _NATIVE_ALPHABET:
            continue
        excerpt = text if len(text) <= 40 else text[:39] + "…"
        hidden = _invisible(text)
        if hidden:
            yield error(
                path,
                "contains an invisible or control character (U+%(code)s); it would be "
                "printed as nothing or as a stray mark: delete it",
                code=f"{ord(hidden):04X}",
            )
        if non_latin(text):
            yield error(
                path,
                "not in English: %(text)s is not in the Latin alphabet; "
                "answers must be completed in English (transliterate names and places)",
                text=repr(excerpt),
            )
        elif language := looks_foreign(text):
            yield warning(
                path,
                "%(text)s looks like %(language)s, not English; answers must be completed "
                "in English (instructions, Part 1 §V): translate it",
                text=repr(excerpt),
                language=_LANGUAGE_NAMES[language],
            )
