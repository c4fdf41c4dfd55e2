"""The names in English of the languages asylum documents come in, by BCP 47 tag.

A translator's certificate names the language translated from (instructions Part 1 §VI,
"Translations": "competent to translate from the foreign language into English"), and the
exhibit index says what each original is in. A tag printed as it is ("translate from 'th'")
certifies nothing an officer can read, so an unknown tag is an error naming the evidence
(raised by the caller, which knows it), never printed.

The table covers the languages of the people who ask for asylum in the United States: the
nationalities of the affirmative and defensive caseload (USCIS and EOIR statistics: Latin
America with its Indigenous languages, China, Afghanistan, West and Central Asia, the Horn of
Africa, West and Central Africa, South and South-East Asia, Russia, Ukraine and the Caucasus),
then a few widely used others. Tags are as the IANA registry writes them (``zh-Hant``, ``yue``,
``quc``); a tag is looked up from the most to the least specific (``zh-Hant-TW`` → ``zh-Hant``
→ ``zh``), in any letter case, with ``-`` or ``_``.
"""

from __future__ import annotations

from collections.abc import Mapping

from refugio.errors import DossierError

__all__ = ["LANGUAGES", "is_english", "language_name"]

LANGUAGES: Mapping[str, str] = {
    # The Americas (Spanish, Portuguese, French, Haitian Creole and Indigenous languages:
    # Guatemala's Mayan languages, Mexico, the Andes).
    "es": "Spanish",
    "pt": "Portuguese",
    "fr": "French",
    "ht": "Haitian Creole",
    "mam": "Mam",
    "quc": "K'iche'",
    "kjb": "Q'anjob'al",
    "kek": "Q'eqchi'",
    "cak": "Kaqchikel",
    "ixl": "Ixil",
    "acr": "Achi",
    "jac": "Popti'",
    "tzh": "Tzeltal",
    "tzo": "Tzotzil",
    "nah": "Nahuatl",
    "mix": "Mixtepec Mixtec",  # Mixtec as a whole has no tag of its own
    "zap": "Zapotec",
    "cab": "Garifuna",
    "miq": "Miskito",
    "qu": "Quechua",
    "ay": "Aymara",
    "gn": "Guarani",
    # China, Hong Kong, Taiwan, Tibet, East Asia.
    "zh": "Chinese",
    "zh-Hans": "Chinese (simplified characters)",
    "zh-Hant": "Chinese (traditional characters)",
    "cmn": "Mandarin Chinese",
    "yue": "Cantonese",
    "wuu": "Wu Chinese",
    "nan": "Min Nan Chinese",
    "ug": "Uyghur",
    "bo": "Tibetan",
    "mn": "Mongolian",
    "ko": "Korean",
    "ja": "Japanese",
    # Afghanistan, Iran, Pakistan, South Asia.
    "fa": "Persian",
    "fa-AF": "Dari",
    "prs": "Dari",
    "haz": "Hazaragi",
    "ps": "Pashto",
    "ur": "Urdu",
    "hi": "Hindi",
    "pa": "Punjabi",
    "sd": "Sindhi",
    "bal": "Balochi",
    "gu": "Gujarati",
    "mr": "Marathi",
    "te": "Telugu",
    "bn": "Bengali",
    "ne": "Nepali",
    "dz": "Dzongkha",
    "ta": "Tamil",
    "si": "Sinhala",
    "rhg": "Rohingya",
    # South-East Asia.
    "my": "Burmese",
    "ksw": "S'gaw Karen",
    "cnh": "Hakha Chin",
    "th": "Thai",
    "vi": "Vietnamese",
    "km": "Khmer",
    "lo": "Lao",
    "hmn": "Hmong",
    "id": "Indonesian",
    "ms": "Malay",
    "tl": "Tagalog",
    "fil": "Filipino",
    # Russia, Ukraine, Belarus, the Caucasus, Turkey, Central Asia.
    "ru": "Russian",
    "uk": "Ukrainian",
    "be": "Belarusian",
    "ka": "Georgian",
    "hy": "Armenian",
    "az": "Azerbaijani",
    "ce": "Chechen",
    "tr": "Turkish",
    "ku": "Kurdish",
    "kmr": "Northern Kurdish (Kurmanji)",
    "ckb": "Central Kurdish (Sorani)",
    "uz": "Uzbek",
    "kk": "Kazakh",
    "ky": "Kyrgyz",
    "tg": "Tajik",
    "tk": "Turkmen",
    # The Middle East and North Africa.
    "ar": "Arabic",
    "he": "Hebrew",
    "kab": "Kabyle",
    "tzm": "Central Atlas Tamazight",
    # The Horn and East Africa.
    "am": "Amharic",
    "ti": "Tigrinya",
    "tig": "Tigre",
    "om": "Oromo",
    "so": "Somali",
    "sw": "Swahili",
    "din": "Dinka",
    "nus": "Nuer",
    "lg": "Ganda",
    # West and Central Africa.
    "wo": "Wolof",
    "ff": "Fula",
    "fuf": "Pular",
    "bm": "Bambara",
    "mnk": "Mandinka",
    "snk": "Soninke",
    "sus": "Susu",
    "kri": "Krio",
    "ha": "Hausa",
    "yo": "Yoruba",
    "ig": "Igbo",
    "ak": "Akan",
    "tw": "Twi",
    "ee": "Ewe",
    "ln": "Lingala",
    "kg": "Kongo",
    "lua": "Luba-Kasai",
    "sg": "Sango",
    "rw": "Kinyarwanda",
    "rn": "Kirundi",
    # Europe.
    "sq": "Albanian",
    "ro": "Romanian",
    "rom": "Romani",
    "sr": "Serbian",
    "bs": "Bosnian",
    "mk": "Macedonian",
    "bg": "Bulgarian",
    "pl": "Polish",
    "de": "German",
    "it": "Italian",
    "nl": "Dutch",
    "el": "Greek",
    # English, and no language at all (a photograph, a map: nothing to translate).
    "en": "English",
    "zxx": "no linguistic content",
}

# Looked up in lower case, as BCP 47 tags compare (RFC 5646, section 2.1.1).
_LOWER = {tag.lower(): name for tag, name in LANGUAGES.items()}


def language_name(tag: str, given: Mapping[str, str] | None = None) -> str:
    """The English name of the language of ``tag``: "th" → "Thai", "zh-Hant-TW" → "Chinese
    (traditional characters)", "prs" → "Dari".

    ``given`` maps tags to names the dossier gives (its declaration language and that
    language's name), for a language the table lacks. Raises DossierError for a tag that is
    neither in the table nor given: the caller adds which evidence it is.
    """
    parts = tag.strip().replace("_", "-").split("-")
    extra = {k.strip().lower(): v.strip() for k, v in (given or {}).items() if v.strip()}
    for n in range(len(parts), 0, -1):
        key = "-".join(parts[:n]).lower()
        if key in _LOWER:
            return _LOWER[key]
        if key in extra:
            return extra[key]
    raise DossierError(
        f"the language '{tag}' is not one Refugio knows: give its BCP 47 tag (e.g. 'th' for "
        "Thai, 'prs' for Dari), so that the translator's certificate can name it"
    )


def is_english(tag: str) -> bool:
    """Whether ``tag`` is English ("en", "en-US"; "eng", the ISO 639-2 code, as the
    declaration accepts it)."""
    return tag.strip().replace("_", "-").split("-")[0].lower() in ("en", "eng")
