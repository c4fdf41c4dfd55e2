"""Language names (refugio.claim.languages): BCP 47 tags to the English names a translator's
certificate and the exhibit index print."""

from __future__ import annotations

import pytest

from refugio.claim.languages import LANGUAGES, is_english, language_name
from refugio.errors import DossierError

# The languages of people who ask for asylum in the United States that the table must cover.
REQUIRED = {
    "es": "Spanish",
    "zh": "Chinese",
    "zh-Hans": "Chinese (simplified characters)",
    "zh-Hant": "Chinese (traditional characters)",
    "yue": "Cantonese",
    "ar": "Arabic",
    "fa": "Persian",
    "prs": "Dari",
    "ps": "Pashto",
    "ur": "Urdu",
    "hi": "Hindi",
    "pa": "Punjabi",
    "bn": "Bengali",
    "ne": "Nepali",
    "ta": "Tamil",
    "ru": "Russian",
    "uk": "Ukrainian",
    "ka": "Georgian",
    "hy": "Armenian",
    "tr": "Turkish",
    "ku": "Kurdish",
    "ckb": "Central Kurdish (Sorani)",
    "uz": "Uzbek",
    "ky": "Kyrgyz",
    "tk": "Turkmen",
    "ug": "Uyghur",
    "bo": "Tibetan",
    "my": "Burmese",
    "th": "Thai",
    "vi": "Vietnamese",
    "km": "Khmer",
    "lo": "Lao",
    "ko": "Korean",
    "ja": "Japanese",
    "id": "Indonesian",
    "tl": "Tagalog",
    "am": "Amharic",
    "ti": "Tigrinya",
    "om": "Oromo",
    "so": "Somali",
    "sw": "Swahili",
    "fr": "French",
    "pt": "Portuguese",
    "ht": "Haitian Creole",
    "wo": "Wolof",
    "ff": "Fula",
    "ln": "Lingala",
    "rw": "Kinyarwanda",
    "sq": "Albanian",
    "ro": "Romanian",
    "mam": "Mam",
    "quc": "K'iche'",
    "kjb": "Q'anjob'al",
    "qu": "Quechua",
    "ay": "Aymara",
    "en": "English",
    "zxx": "no linguistic content",
}


@pytest.mark.parametrize(("tag", "name"), sorted(REQUIRED.items()))
def test_it_names_the_languages_of_asylum_seekers(tag: str, name: str) -> None:
    assert language_name(tag) == name


def test_it_writes_every_tag_as_the_iana_registry_does() -> None:
    """Primary subtags in lower case, scripts in title case, regions in upper case (RFC 5646
    §2.1.1): a tag written otherwise in the table would be a typo that nothing else catches."""
    for tag in LANGUAGES:
        primary, *rest = tag.split("-")
        assert primary.islower() and 2 <= len(primary) <= 3, tag
        for sub in rest:
            assert sub.istitle() if len(sub) == 4 else sub.isupper(), tag


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("th-TH", "Thai"),
        ("zh-Hant-TW", "Chinese (traditional characters)"),
        ("ZH-hans", "Chinese (simplified characters)"),
        ("zh_Hans", "Chinese (simplified characters)"),
        ("fa-AF", "Dari"),
        ("fa-IR", "Persian"),
        ("es-419", "Spanish"),
        (" ru ", "Russian"),
    ],
)
def test_it_looks_a_tag_up_from_the_most_to_the_least_specific(tag: str, name: str) -> None:
    assert language_name(tag) == name


def test_it_takes_a_name_the_dossier_gives_for_a_language_it_lacks() -> None:
    assert language_name("mfe", {"mfe": "Mauritian Creole"}) == "Mauritian Creole"
    assert language_name("th", {"th": "Siamese"}) == "Thai"  # the table first
    with pytest.raises(DossierError):
        language_name("mfe", {"mfe": "  "})  # an empty name names nothing


@pytest.mark.parametrize("tag", ["xq", "", "klingon", "x-private"])
def test_it_refuses_a_tag_it_cannot_name(tag: str) -> None:
    with pytest.raises(DossierError, match="is not one Refugio knows"):
        language_name(tag)


@pytest.mark.parametrize(
    ("tag", "english"),
    [("en", True), ("en-US", True), ("EN_gb", True), ("eng", True), ("es", False), ("zxx", False)],
)
def test_it_tells_english(tag: str, english: bool) -> None:
    assert is_english(tag) is english
