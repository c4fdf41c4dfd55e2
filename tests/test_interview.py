"""The interview engine (refugio.interview): screens derived from the model, drafts that keep
every answer as typed, and the application built from them."""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from refugio.interview import (
    DATE_ERROR,
    MONTH_ERROR,
    PLAN,
    Group,
    apply_action,
    build,
    format_errors,
    from_application,
    get,
    progress,
    questions_of,
    read_form,
    step_by_slug,
    visible_steps,
)
from refugio.interview.questions import model_at
from refugio.model import Application
from refugio.paths import item_for

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.json"))


def _load(path: Path) -> Application:
    return Application.model_validate(json.loads(path.read_text(encoding="utf-8")))


def _leaves(cls: type[BaseModel], prefix: str = "") -> set[str]:
    """Every answer path of the model, list entries as [0]."""
    out: set[str] = set()
    for name, info in cls.model_fields.items():
        path = f"{prefix}{name}"
        inner: Any = info.annotation
        if get_origin(inner) in (Union, types.UnionType):
            inner = next(a for a in get_args(inner) if a is not type(None))
        if get_origin(inner) is list and isinstance(get_args(inner)[0], type):
            inner_cls = get_args(inner)[0]
            if issubclass(inner_cls, BaseModel):
                out |= _leaves(inner_cls, f"{path}[0].")
                continue
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out |= _leaves(inner, f"{path}.")
        else:
            out.add(path)
    return out


def _everything_visible() -> dict[str, Any]:
    """A draft in which every screen applies and every list has one entry."""
    draft: dict[str, Any] = {
        "meta": {"has_children": "yes", "mailing_different": "yes"},
        "applicant": {"marital_status": "married"},
        "signature": {"family_assisted": "yes", "prepared_by_other": "yes"},
    }
    for step in PLAN:
        if step.repeating:
            parent = draft
            *heads, last = step.root.split(".")
            for head in heads:
                parent = parent.setdefault(head, {})
            parent[last] = [{}]
    return draft


def test_it_asks_every_answer_of_the_model_exactly_once() -> None:
    draft = _everything_visible()
    asked = [q.path for step in PLAN for q in questions_of(step, draft, only_visible=False)]
    assert len(asked) == len(set(asked)), "a question is asked on two screens"
    assert set(asked) == _leaves(Application)


def test_it_takes_question_texts_and_items_from_the_model() -> None:
    step = step_by_slug("personal")
    assert step is not None
    q = next(q for q in questions_of(step, {}) if q.path == "applicant.date_of_birth")
    assert (q.item, q.label, q.kind) == ("Part A.I, item 12", "date of birth", "date")
    children = step_by_slug("children")
    assert children is not None
    q = next(
        q
        for q in questions_of(children, _everything_visible())
        if q.path == "children[0].date_of_birth"
    )
    assert q.item == item_for("children[0].date_of_birth") == "Part A.II, child 1, item 8"


def test_it_keeps_screens_in_form_order() -> None:
    parts = [step.part for step in PLAN]
    order = ["Page 1", "Part A.I", "Part A.II", "Part A.III", "Part B", "Part C", "Part D"]
    order.append("Part E")
    assert sorted(parts, key=order.index) == parts


def test_it_asks_about_the_spouse_only_when_married() -> None:
    slugs = [s.slug for s in visible_steps({"applicant": {"marital_status": "single"}})]
    assert "spouse" not in slugs
    slugs = [s.slug for s in visible_steps({"applicant": {"marital_status": "married"}})]
    assert "spouse" in slugs


def test_it_asks_for_an_explanation_only_after_yes() -> None:
    step = step_by_slug("harm")
    assert step is not None
    paths = {q.path for q in questions_of(step, {"claim": {"past_harm": {"answer": "no"}}})}
    assert "claim.past_harm.explanation" not in paths
    paths = {q.path for q in questions_of(step, {"claim": {"past_harm": {"answer": "yes"}}})}
    assert "claim.past_harm.explanation" in paths


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_it_round_trips_every_example(path: Path) -> None:
    app = _load(path)
    built = build(from_application(app))
    assert built.errors == {}
    assert built.app is not None
    assert built.app.model_dump() == app.model_dump()


def test_it_keeps_an_unreadable_date_as_typed_and_names_its_item() -> None:
    step = step_by_slug("personal")
    assert step is not None
    draft = read_form(step, {}, {"applicant.date_of_birth": "31/02/1990"})
    assert get(draft, "applicant.date_of_birth") == "31/02/1990"
    assert format_errors(step, draft) == {"applicant.date_of_birth": DATE_ERROR}
    built = build(draft)
    assert built.errors["applicant.date_of_birth"] == DATE_ERROR
    assert built.app is not None and built.app.applicant.date_of_birth is None


def test_it_reads_both_date_styles_and_month_years() -> None:
    step = step_by_slug("personal")
    assert step is not None
    for typed in ("03/05/2016", "2016-03-05", " 3/5/2016 "):
        app = build(read_form(step, {}, {"applicant.date_of_birth": typed})).app
        assert app is not None and str(app.applicant.date_of_birth) == "2016-03-05"
    residences = step_by_slug("residences")
    assert residences is not None
    draft = apply_action(residences, {}, "add")
    draft = read_form(
        residences,
        draft,
        {"background.residences[0].start": "4/2019", "background.residences[0].end": "Present"},
    )
    app = build(draft).app
    assert app is not None
    assert (app.background.residences[0].start, app.background.residences[0].end) == (
        "2019-04",
        "present",
    )
    draft = read_form(residences, draft, {"background.residences[0].start": "13/2019"})
    assert format_errors(residences, draft) == {"background.residences[0].start": MONTH_ERROR}


def test_it_keeps_hidden_answers_but_leaves_them_out_of_the_application() -> None:
    step = step_by_slug("harm")
    assert step is not None
    form = {"claim.past_harm.answer": "yes", "claim.past_harm.explanation": "Beaten in 2019."}
    draft = read_form(step, {}, form)
    draft = read_form(step, draft, {**form, "claim.past_harm.answer": "no"})
    assert get(draft, "claim.past_harm.explanation") == "Beaten in 2019."
    app = build(draft).app
    assert app is not None and app.claim.past_harm.explanation == ""
    draft = read_form(step, draft, form)
    app = build(draft).app
    assert app is not None and app.claim.past_harm.explanation == "Beaten in 2019."


def test_it_adds_removes_and_reorders_entries() -> None:
    step = step_by_slug("children")
    assert step is not None
    draft: dict[str, Any] = {"meta": {"has_children": "yes"}}
    for _ in range(3):
        draft = apply_action(step, draft, "add")
    names = {f"children[{i}].first_name": name for i, name in enumerate("ABC")}
    draft = read_form(step, draft, names)
    draft = apply_action(step, draft, "up-2")  # A C B
    draft = apply_action(step, draft, "remove-0")  # C B
    draft = apply_action(step, draft, "down-0")  # B C
    assert [c["first_name"] for c in draft["children"]] == ["B", "C"]
    assert len([b for b in questions_of(step, draft) if b.path.endswith("first_name")]) == 2
    assert apply_action(step, draft, "remove-9") == draft  # a stale button changes nothing


def test_it_tells_no_children_from_unanswered() -> None:
    unanswered = progress({})[0]
    part = next(p for p in unanswered if p.part == "Part A.II")
    assert part.answered == 0
    step = step_by_slug("has-children")
    assert step is not None
    draft = read_form(step, {}, {"meta.has_children": "no"})
    part = next(p for p in progress(draft)[0] if p.part == "Part A.II")
    assert part.answered == part.total
    assert "children" not in [s.slug for s in visible_steps(draft)]


def test_it_drops_blank_entries_from_the_application_but_not_from_the_draft() -> None:
    step = step_by_slug("education")
    assert step is not None
    draft = apply_action(step, apply_action(step, {}, "add"), "add")
    draft = read_form(step, draft, {"background.education[1].name": "Escuela Normal"})
    app = build(draft).app
    assert app is not None
    assert [s.name for s in app.background.education] == ["Escuela Normal"]
    assert len(draft["background"]["education"]) == 2


def test_it_counts_progress_per_part_and_overall() -> None:
    app = _load(EXAMPLES[0])
    parts, overall = progress(from_application(app))
    assert [p.part for p in parts][:3] == ["Page 1", "Part A.I", "Part A.II"]
    assert overall.total == sum(p.total for p in parts)
    assert 0 < overall.answered <= overall.total
    assert progress({})[1].answered == 0


def test_it_groups_addresses_and_list_entries() -> None:
    step = step_by_slug("addresses")
    assert step is not None
    from refugio.interview import step_blocks

    blocks = step_blocks(step, {})
    groups = [b for b in blocks if isinstance(b, Group)]
    assert [g.path for g in groups] == ["applicant.residence", "applicant.mailing_address"]
    assert groups[1].show_if is not None and groups[1].show_if.path == "meta.mailing_different"
    assert model_at("background.residences").__name__ == "Residence"


def test_it_gives_help_only_for_questions_that_exist() -> None:
    from refugio.interview.plan import HELP

    draft = _everything_visible()
    asked = {
        q.path.replace("[0]", ""): q
        for step in PLAN
        for q in questions_of(step, draft, only_visible=False)
    }
    step = step_by_slug("addresses")
    assert step is not None
    from refugio.interview import step_blocks

    groups = {b.path: b for b in step_blocks(step, {}) if isinstance(b, Group)}
    assert groups["applicant.residence"].help == HELP["applicant.residence"]
    assert set(HELP) - set(asked) - set(groups) == set()
    assert asked["applicant.entries.status"].help.startswith("For example B-2")


def test_it_asks_for_the_other_countries_only_after_a_yes_to_either_question() -> None:
    step = step_by_slug("other-countries")
    assert step is not None
    path = "additional.other_countries_explanation"

    def asked(a: str, b: str) -> bool:
        answers = {"travel_through_other_countries": a, "status_in_other_countries": b}
        return path in {q.path for q in questions_of(step, {"additional": answers})}

    assert not asked("no", "no")
    assert asked("yes", "no") and asked("no", "yes") and asked("Yes ", "")


def test_it_finds_the_draft_entry_of_an_application_path() -> None:
    step = step_by_slug("education")
    assert step is not None
    draft = apply_action(step, apply_action(step, apply_action(step, {}, "add"), "add"), "add")
    draft = read_form(
        step,
        draft,
        {"background.education[1].name": "X", "background.education[2].name": "Y"},
    )
    built = build(draft)
    assert built.app is not None and [s.name for s in built.app.background.education] == ["X", "Y"]
    assert built.draft_path("background.education[1].end") == "background.education[2].end"
    assert built.draft_path("applicant.last_name") == "applicant.last_name"


def test_it_counts_a_complete_case_as_complete() -> None:
    for path in EXAMPLES:
        assert progress(from_application(_load(path)))[1].percent == 100, path.stem


def test_it_ignores_a_position_that_is_not_an_ascii_number() -> None:
    step = step_by_slug("children")
    assert step is not None
    draft = apply_action(step, {}, "add")
    assert apply_action(step, draft, "remove-²") == draft
