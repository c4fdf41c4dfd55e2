"""`fill --na`: no answer left blank (instructions, Part 1 §V; USCIS rejected blank I-589s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from refugio.editions import get_edition
from refugio.fill import fill
from tests.conftest import TODAY, blank_path, load_example
from tests.pdfcheck import filled_text_fields

SUB0 = "form1[0].#subform[0]."


@pytest.fixture(scope="module")
def journalist_fields(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    app = load_example("c-journalist-pashto.json")
    assert app.applicant.a_number == "" and app.applicant.mailing_address is None
    out = {}
    for na in (False, True):
        path = tmp_path_factory.mktemp("na") / f"c-{na}.pdf"
        fill(app, blank_path(get_edition("01/20/25")), path, today=TODAY, na=na)
        out[str(na)] = {k: v.value for k, v in filled_text_fields(path).items()}
    return out


def test_it_writes_none_for_a_number_the_applicant_does_not_have(
    journalist_fields: dict[str, dict[str, str]],
) -> None:
    assert SUB0 + "PtAILine1_ANumber[0]" not in journalist_fields["False"]
    assert journalist_fields["True"][SUB0 + "PtAILine1_ANumber[0]"] == "NONE"
    assert journalist_fields["True"][SUB0 + "TextField1[0]"] == "NONE"  # item 2, SSN


def test_it_says_the_mailing_address_is_not_applicable(
    journalist_fields: dict[str, dict[str, str]],
) -> None:
    assert journalist_fields["True"][SUB0 + "PtAILine9_StreetNumandName[0]"] == "N/A"
    assert SUB0 + "PtAILine9_City[0]" not in journalist_fields["True"]


def test_it_answers_an_explanation_after_no_with_na(
    journalist_fields: dict[str, dict[str, str]],
) -> None:
    crimes = "form1[0].#subform[9].PCL6_TextField[0]"  # Part C, item 6, answered "no"
    assert crimes not in journalist_fields["False"]
    assert journalist_fields["True"][crimes] == "N/A"


def test_it_leaves_rows_of_absent_people_blank(
    journalist_fields: dict[str, dict[str, str]],
) -> None:
    """Two children: the third and fourth child blocks stay empty, not "N/A" everywhere."""
    assert "form1[0].#subform[3].ChildLast3[0]" not in journalist_fields["True"]
    assert journalist_fields["True"]["form1[0].#subform[1].ChildMiddle1[0]"] == "N/A"


def test_it_changes_nothing_that_was_answered(journalist_fields: dict[str, dict[str, str]]) -> None:
    without, with_na = journalist_fields["False"], journalist_fields["True"]
    for name, value in without.items():
        assert with_na[name] == value, name


def test_it_does_not_say_not_married_when_the_status_is_unanswered(tmp_path: Path) -> None:
    from refugio.model import Application
    from tests.pdfcheck import checked_boxes

    app = Application.model_validate({"applicant": {"last_name": "X", "first_name": "Y"}})
    out = tmp_path / "empty.pdf"
    fill(app, blank_path(get_edition("01/20/25")), out, today=TODAY, na=True)
    assert "form1[0].#subform[1].CheckBox5[0]" not in checked_boxes(out)  # "I am not married"
