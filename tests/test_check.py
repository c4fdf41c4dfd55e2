"""The checker (`refugio check`): a complete application has no findings, and each mistake
yields exactly the finding that names it, with its form item.

Rules 1 (blank answers), 4 (consistency) and 7 (children who could be included) are here;
formats, dates, English and the deadline have their own files.
"""

from __future__ import annotations

import datetime as dt

import pytest

from refugio.check import Finding, check, item_for
from refugio.model import Applicant, Application, Assistant, Preparer, YesNo
from refugio.paths import na_word
from tests.factories import TODAY, child, spouse_in_us, us_address, valid_application


def only(app: Application) -> Finding:
    """The single finding the application has (failing with all of them otherwise)."""
    findings = check(app, today=TODAY)
    assert len(findings) == 1, "\n".join(map(str, findings))
    return findings[0]


# --- the whole ------------------------------------------------------------------------------


def test_it_finds_nothing_in_a_complete_application() -> None:
    assert check(valid_application(), today=TODAY) == []


def test_it_finds_nothing_in_a_complete_family_application() -> None:
    app = valid_application(married=True)
    app.children = [child(), child(first_name="Tomás", date_of_birth=dt.date(2021, 8, 30))]
    assert check(app, today=TODAY) == []


def test_it_prints_a_finding_as_severity_item_and_message() -> None:
    finding = Finding("error", "Part A.I, item 12", "applicant.date_of_birth", "is in the future")
    assert str(finding) == "error: Part A.I, item 12: is in the future"


def test_it_names_the_form_item_of_every_kind_of_path() -> None:
    assert item_for("applicant.date_of_birth") == "Part A.I, item 12"
    assert item_for("applicant.residence.zip_code") == "Part A.I, item 8"
    assert item_for("applicant.entries[1].date") == "Part A.I, item 19.C"
    assert item_for("spouse.date_of_marriage") == "Part A.II, spouse, item 9"
    assert item_for("children[2].date_of_birth") == "Part A.II, child 3, item 8"
    assert item_for("background.employment[0].end") == "Part A.III, item 4"
    assert item_for("claim.past_harm.explanation") == "Part B, item 1.A"
    assert item_for("additional.filing_after_one_year.answer") == "Part C, item 5"
    assert item_for("signature.family_assisted") == "Part D"
    assert item_for("preparer.address.city") == "Part E"
    assert item_for("cat_withholding") == "Page 1, box above Part A"


def test_it_refuses_a_path_the_model_does_not_have() -> None:
    with pytest.raises(ValueError, match="not a path"):
        item_for("applicant.favourite_colour")


def test_it_lists_findings_in_form_order() -> None:
    app = Application(applicant=Applicant(last_name="", first_name=""))
    app.applicant.marital_status = "married"  # a spouse-block finding between A.I and A.III
    app.children = [child(last_name=""), child(first_name="")]
    items = [f.item for f in check(app, today=TODAY)]
    assert items[0] == "Part A.I, item 1"
    assert items[-1] == "Part D"
    order = [
        "Part A.I, item 4",
        "Part A.I, item 19.C",
        "Part A.II",
        "Part A.II, child 1, item 5",
        "Part A.II, child 2, item 6",
        "Part A.III, item 1",
        "Part B, item 1",
        "Part B, item 4",
        "Part C, item 1",
        "Part C, item 6",
        "Part D",
    ]
    assert [items.index(item) for item in order] == sorted(items.index(item) for item in order)


# --- rule 1: no blanks -----------------------------------------------------------------------


def test_it_reports_an_unanswered_date_of_birth_as_an_error() -> None:
    app = valid_application()
    app.applicant.date_of_birth = None
    assert only(app) == Finding(
        "error", "Part A.I, item 12", "applicant.date_of_birth", "date of birth is unanswered"
    )


def test_it_suggests_none_or_unknown_for_a_blank_text_answer() -> None:
    app = valid_application()
    app.applicant.religion = "  "
    finding = only(app)
    assert (finding.severity, finding.item) == ("error", "Part A.I, item 17")
    assert '"none", "not applicable" or "unknown"' in finding.message


@pytest.mark.parametrize(
    ("path", "item"),
    [
        ("applicant.immigration_court", "Part A.I, item 18"),
        ("applicant.last_departure_date", "Part A.I, item 19.A"),
        ("applicant.fluent_in_english", "Part A.I, item 24"),
        ("signature.received_counsel_list", "Part D"),
    ],
)
def test_it_reports_each_unanswered_question(path: str, item: str) -> None:
    app = valid_application()
    section, name = path.split(".")
    setattr(getattr(app, section), name, None)
    finding = only(app)
    assert (finding.severity, finding.item, finding.path) == ("error", item, path)


def test_it_requires_at_least_one_entry() -> None:
    app = valid_application()
    app.applicant.entries = []
    finding = only(app)
    assert (finding.item, finding.message) == (
        "Part A.I, item 19.C",
        "entries into the US is unanswered",
    )


@pytest.mark.parametrize(
    ("section", "name", "item"),
    [
        ("claim", "past_harm", "Part B, item 1.A"),
        ("claim", "organizations_continuing", "Part B, item 3.B"),
        ("claim", "fear_of_torture", "Part B, item 4"),
        ("additional", "prior_applications", "Part C, item 1"),
        ("additional", "crimes", "Part C, item 6"),
    ],
)
def test_it_reports_an_unchecked_yes_no_question(section: str, name: str, item: str) -> None:
    app = valid_application()
    setattr(getattr(app, section), name, YesNo())
    assert only(app) == Finding(
        "error", item, f"{section}.{name}.answer", 'unanswered: check "yes" or "no"'
    )


@pytest.mark.parametrize(("name", "item"), [("past_harm", "1.A"), ("fear_of_return", "1.B")])
def test_it_requires_an_explanation_after_yes(name: str, item: str) -> None:
    app = valid_application()
    setattr(app.claim, name, YesNo(answer=True, explanation=""))
    finding = only(app)
    assert (finding.severity, finding.item, finding.path) == (
        "error",
        f"Part B, item {item}",
        f"claim.{name}.explanation",
    )


def test_it_requires_the_other_countries_explanation_after_either_yes() -> None:
    app = valid_application()
    app.additional.status_in_other_countries = True
    finding = only(app)
    assert (finding.item, finding.path) == (
        "Part C, items 2.A-2.B",
        "additional.other_countries_explanation",
    )


def test_it_requires_a_ground_for_the_claim() -> None:
    app = valid_application()
    app.claim.grounds.political_opinion = False
    assert only(app) == Finding(
        "error", "Part B, item 1", "claim.grounds", "no ground is checked: check at least one box"
    )


@pytest.mark.parametrize(
    ("path", "empty", "item"),
    [
        ("applicant.a_number", "", "Part A.I, item 1"),
        ("applicant.other_names", [], "Part A.I, item 7"),
        ("applicant.mailing_address", None, "Part A.I, item 9"),
        ("applicant.i94_number", "", "Part A.I, item 19.B"),
        ("applicant.other_languages", "", "Part A.I, item 25"),
    ],
)
def test_it_warns_that_fill_na_will_answer_a_blank_nothing_to_declare(
    path: str, empty: object, item: str
) -> None:
    app = valid_application()
    setattr(app.applicant, path.split(".")[1], empty)
    finding = only(app)
    assert (finding.severity, finding.item, finding.path) == ("warning", item, path)
    assert finding.message.endswith(f"is blank; `fill --na` will write {na_word(path)}")


def test_it_takes_either_a_passport_or_a_travel_document_number() -> None:
    app = valid_application()
    app.applicant.travel_document_number = ""
    assert check(app, today=TODAY) == []
    app.applicant.passport_number = ""
    assert only(app).path == "applicant.passport_number"


def test_it_asks_the_in_us_blocks_only_of_relatives_in_the_us() -> None:
    app = valid_application()
    app.children = [
        child(
            in_us=False,
            location="Quito, Ecuador",
            place_of_last_entry="",
            date_of_last_entry=None,
            i94_number="",
            status_when_last_admitted="",
            current_status="",
            authorized_stay_expires=None,
            in_immigration_court=None,
            include_in_application=None,
        )
    ]
    assert check(app, today=TODAY) == []


def test_it_asks_where_a_relative_abroad_is() -> None:
    app = valid_application(married=True)
    app.spouse = spouse_in_us(in_us=False, include_in_application=None)
    finding = only(app)
    assert (finding.item, finding.path) == ("Part A.II, spouse, item 15", "spouse.location")


def test_it_does_not_ask_the_location_of_a_deceased_parent() -> None:
    app = valid_application()
    assert app.background.father is not None
    app.background.father.deceased = False
    assert only(app).path == "background.father.current_location"


# --- rule 4: answers that must agree ---------------------------------------------------------


def test_it_reports_a_married_applicant_without_a_spouse() -> None:
    app = valid_application()
    app.applicant.marital_status = "married"
    assert only(app) == Finding(
        "error", "Part A.II", "spouse", "you are married (Part A.I, item 11) but no spouse is given"
    )


def test_it_reports_a_spouse_given_by_an_unmarried_applicant() -> None:
    app = valid_application(married=True)
    app.applicant.marital_status = "divorced"
    finding = only(app)
    assert (finding.severity, finding.item) == ("error", "Part A.I, item 11")


def test_it_refuses_to_include_a_spouse_outside_the_us() -> None:
    app = valid_application(married=True)
    app.spouse = spouse_in_us(in_us=False, location="Quito, Ecuador")
    finding = only(app)
    assert (finding.severity, finding.item) == ("error", "Part A.II, spouse, item 24")
    assert "208(b)(3)(A)" in finding.message


def test_it_requires_assistants_when_family_assisted() -> None:
    app = valid_application()
    app.signature.family_assisted = True
    assert only(app).path == "signature.assistants"
    app.signature.assistants = [Assistant(name="Mateo Ejemplo", relationship="husband")]
    assert check(app, today=TODAY) == []


def test_it_reports_assistants_listed_after_no() -> None:
    app = valid_application()
    app.signature.assistants = [Assistant(name="Mateo Ejemplo", relationship="husband")]
    assert only(app).path == "signature.family_assisted"


def preparer(**overrides: object) -> Preparer:
    fields: dict[str, object] = {"name": "Dana Helper", "address": us_address(apartment="none")}
    return Preparer.model_validate(fields | overrides)


def test_it_requires_part_e_when_someone_else_prepared_the_application() -> None:
    app = valid_application()
    app.signature.prepared_by_other = True
    finding = only(app)
    assert (finding.severity, finding.item, finding.path) == ("error", "Part E", "preparer")
    app.preparer = preparer()
    assert check(app, today=TODAY) == []


def test_it_requires_the_preparers_address_and_telephone() -> None:
    app = valid_application()
    app.signature.prepared_by_other = True
    app.preparer = preparer(address=us_address(phone_area_code="", phone_number=""))
    finding = only(app)
    assert (finding.severity, finding.path) == ("error", "preparer.address.phone_number")


def test_it_reports_part_e_completed_after_no() -> None:
    app = valid_application()
    app.preparer = preparer()
    assert only(app).path == "signature.prepared_by_other"


def test_it_warns_when_an_attorney_has_no_g28() -> None:
    app = valid_application()
    app.signature.prepared_by_other = True
    app.preparer = preparer(bar_number="IL 0000001")
    finding = only(app)
    assert (finding.severity, finding.item, finding.path) == (
        "warning",
        "Part E",
        "preparer.g28_attached",
    )
    app.preparer.g28_attached = True
    assert check(app, today=TODAY) == []


def test_it_requires_a_detailed_item_4_with_the_torture_convention_box() -> None:
    app = valid_application()
    app.cat_withholding = True
    app.claim.grounds.torture_convention = True
    finding = only(app)  # item 4 is "no" in the factory
    assert (finding.severity, finding.item) == ("error", "Part B, item 4")
    app.claim.fear_of_torture = YesNo(answer=True, explanation="Police tortured my colleague.")
    assert check(app, today=TODAY) == []


def test_it_warns_when_the_cat_box_and_the_torture_ground_disagree() -> None:
    app = valid_application()
    app.cat_withholding = True
    app.claim.fear_of_torture = YesNo(answer=True, explanation="Police tortured my colleague.")
    assert only(app).path == "claim.grounds.torture_convention"
    app.cat_withholding = False
    app.claim.grounds.torture_convention = True
    finding = only(app)
    assert (finding.severity, finding.item) == ("warning", "Page 1, box above Part A")


# --- rules 4 and 7: children -----------------------------------------------------------------


def test_it_refuses_to_include_a_child_of_21() -> None:
    app = valid_application()
    app.children = [child(date_of_birth=dt.date(2004, 6, 2))]  # 21 on TODAY
    finding = only(app)
    assert (finding.severity, finding.item) == ("error", "Part A.II, child 1, item 21")
    assert "21 or older" in finding.message


def test_it_includes_a_child_the_day_before_21() -> None:
    app = valid_application()
    app.children = [child(date_of_birth=dt.date(2004, 6, 3))]
    assert check(app, today=TODAY) == []


def test_it_refuses_to_include_a_married_child() -> None:
    app = valid_application()
    app.children = [child(date_of_birth=dt.date(2006, 1, 5), marital_status="married")]
    assert "married" in only(app).message


def test_it_refuses_to_include_a_child_outside_the_us() -> None:
    app = valid_application()
    app.children = [child(in_us=False, location="Quito, Ecuador")]
    finding = only(app)
    assert (finding.path, finding.severity) == ("children[0].include_in_application", "error")
    assert "not in the US" in finding.message


def test_it_warns_that_an_eligible_child_may_be_included() -> None:
    app = valid_application()
    app.children = [child(), child(include_in_application=False, marital_status="divorced")]
    finding = only(app)
    assert (finding.severity, finding.item) == ("warning", "Part A.II, child 2, item 21")


def test_it_says_nothing_of_an_adult_child_left_out() -> None:
    app = valid_application()
    app.children = [child(date_of_birth=dt.date(2001, 1, 1), include_in_application=False)]
    assert check(app, today=TODAY) == []
