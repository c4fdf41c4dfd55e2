"""Rule 5: answers are in English, which the checker can tell by their script."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from refugio.check import Finding, check
from refugio.check.english import non_latin
from tests.factories import TODAY, child, valid_application


def test_it_reports_a_cyrillic_answer_as_not_english() -> None:
    app = valid_application()
    app.applicant.city_and_country_of_birth = "Кабул, Афганистан"
    [finding] = check(app, today=TODAY)
    assert (finding.severity, finding.item, finding.path) == (
        "error",
        "Part A.I, item 13",
        "applicant.city_and_country_of_birth",
    )
    assert finding.message.startswith("not in English: 'Кабул, Афганистан'")


def test_it_names_the_childs_item_for_a_name_in_han_characters() -> None:
    app = valid_application()
    app.children = [child(first_name="丽华")]
    [finding] = check(app, today=TODAY)
    assert finding.item == "Part A.II, child 1, item 6"


def test_it_finds_other_scripts_inside_a_narrative() -> None:
    app = valid_application()
    app.claim.past_harm.explanation = "They shouted «خائن» at me.\n\nThen they left."
    [finding] = check(app, today=TODAY)
    assert (finding.item, finding.path) == ("Part B, item 1.A", "claim.past_harm.explanation")


def test_it_shortens_a_long_answer_in_the_message() -> None:
    app = valid_application()
    app.claim.past_harm.explanation = "ሀ" * 100
    [finding] = check(app, today=TODAY)
    assert "ሀ" * 39 + "…" in finding.message
    assert "ሀ" * 40 not in finding.message


def test_it_lets_the_native_alphabet_name_be_native() -> None:
    app = valid_application()
    app.signature.native_alphabet_name = "ብርሃኑ ወልደማርያም"
    assert check(app, today=TODAY) == []


def test_it_accepts_accented_latin_letters_and_transliteration_marks() -> None:
    for text in (
        "José Núñez",
        "Şəki, Azərbaycan",
        "Łódź",
        "Hawaiʻi",
        "Piso 1º, 2ª puerta",
        "Ærøskøbing",
        "İstanbul",
        "Nguyễn Thị Minh Khai",
    ):
        assert not non_latin(text), text


def test_it_reports_arabic_indic_digits_in_a_number_box() -> None:
    app = valid_application()
    app.applicant.a_number = "٢٠١٥٥٥٠١٩"
    findings = check(app, today=TODAY)
    assert [(f.path, f.message.split(":")[0]) for f in findings] == [
        (
            "applicant.a_number",
            'A-Number must be 7 to 9 digits (a leading "A" and dashes are allowed)',
        ),
        ("applicant.a_number", "not in English"),
    ]
    assert all(isinstance(f, Finding) for f in findings)


@given(st.text(st.characters(codec="latin-1")))
def test_it_accepts_any_latin_1_text(text: str) -> None:
    assert not non_latin(text)


@given(st.text(), st.characters(min_codepoint=0x0400, max_codepoint=0x04FF, categories=["L"]))
def test_it_finds_a_cyrillic_letter_anywhere(text: str, letter: str) -> None:
    assert non_latin(text[: len(text) // 2] + letter + text[len(text) // 2 :])


def test_it_warns_when_latin_script_text_is_spanish() -> None:
    from refugio.check.english import looks_foreign

    assert (
        looks_foreign("Los pandilleros llegaron a mi casa y me dijeron que tenía que pagar")
        == "Spanish"
    )
    assert (
        looks_foreign("Ils sont venus chez moi et ils ont frappé mon frère devant nous") == "French"
    )
    assert (
        looks_foreign("Eles me prenderam e não me deixaram falar com a minha família")
        == "Portuguese"
    )


def test_it_leaves_english_and_short_answers_alone() -> None:
    from refugio.check.english import looks_foreign

    assert looks_foreign("The gang came to my house and told me that I had to pay them") is None
    assert looks_foreign("San Pedro Sula, Cortés, Honduras") is None
    assert looks_foreign("Iglesia de la Luz del Mundo") is None  # a name, too short to judge


def test_it_reports_invisible_and_control_characters() -> None:
    app = valid_application()
    app.applicant.last_name = "Car\u00adcamo"  # a soft hyphen, pasted from a word processor
    finding = next(f for f in check(app, today=TODAY) if f.path == "applicant.last_name")
    assert finding.severity == "error" and "U+00AD" in finding.message
