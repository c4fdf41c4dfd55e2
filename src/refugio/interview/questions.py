"""The questions of a screen, read from the application model.

A question's text and form item come from the model's field descriptions (through
``refugio.paths``), its answer type from the field's type: a date is asked as a date, an optional
yes/no as two radio buttons, a ``Literal`` as a choice. Nothing here repeats a question.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from dataclasses import dataclass, replace
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from refugio.interview.plan import INNER, Condition, Step, help_for
from refugio.model import Application, YesNo
from refugio.paths import item_for, label_for

__all__ = ["CHOICE_LABELS", "Block", "Group", "Kind", "Question", "blocks", "model_at"]

Kind = Literal["text", "textarea", "lines", "date", "month_year", "yes_no", "checkbox", "choice"]

# Narratives: the form gives them a large box (and Supplement B when it is full).
_LONG = frozenset({"explanation", "other_countries_explanation"})

# The words of the form's own checkboxes for each choice (Part A.I items 10, 11, 18).
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "sex": {"male": "Male", "female": "Female"},
    "marital_status": {
        "single": "Single",
        "married": "Married",
        "divorced": "Divorced",
        "widowed": "Widowed",
    },
    "immigration_court": {
        "never": "I have never been in Immigration Court proceedings.",
        "now": "I am now in Immigration Court proceedings.",
        "past": "I am not now in Immigration Court proceedings, but I have been in the past.",
    },
}


@dataclass(frozen=True)
class Question:
    path: str  # the model path of the answer, e.g. "children[1].date_of_birth"
    item: str  # "Part A.II, child 2, item 8"
    label: str  # the model's words: "date of birth"
    kind: Kind
    choices: tuple[tuple[str, str], ...] = ()
    show_if: Condition | None = None  # with an absolute path
    help: str = ""  # plain-words help (plan.HELP), "" for most questions

    @property
    def name(self) -> str:
        return self.path

    @property
    def dom_id(self) -> str:
        return "q-" + self.path.replace("[", "-").replace("]", "").replace(".", "-")


@dataclass(frozen=True)
class Group:
    """Questions shown together under one legend: an address, a parent, an entry of a list."""

    path: str
    item: str
    label: str
    questions: tuple[Question, ...]
    index: int = -1  # the position of an entry in its list, -1 outside lists
    show_if: Condition | None = None
    help: str = ""


Block = Question | Group


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None``, and whether ``None`` was allowed."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), len(args) < len(get_args(annotation))
    return annotation, False


@functools.cache
def _schema_props(cls: type[BaseModel]) -> dict[str, Any]:
    props: dict[str, Any] = cls.model_json_schema()["properties"]
    return props


def _kind(cls: type[BaseModel], name: str) -> tuple[Kind, tuple[tuple[str, str], ...]]:
    annotation, optional = _unwrap(cls.model_fields[name].annotation)
    if annotation is dt.date:
        return "date", ()
    if annotation is bool:
        return ("yes_no" if optional else "checkbox"), ()
    if get_origin(annotation) is Literal:
        labels = CHOICE_LABELS.get(name, {})
        return "choice", tuple((v, labels.get(v, v)) for v in get_args(annotation))
    if get_origin(annotation) is list:
        return "lines", ()
    spec = _schema_props(cls).get(name, {})
    if "pattern" in spec or any("pattern" in s for s in spec.get("anyOf", [])):
        return "month_year", ()
    return ("textarea" if name in _LONG else "text"), ()


def _submodel(cls: type[BaseModel], name: str) -> type[BaseModel] | None:
    annotation, _ = _unwrap(cls.model_fields[name].annotation)
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def _absolute(cond: Condition | None, holder: str) -> Condition | None:
    if cond is None or not cond.path.startswith("."):
        return cond

    def absolute(path: str) -> str:
        return f"{holder}{path}" if holder else path[1:]

    return Condition(absolute(cond.path), cond.values, tuple(absolute(p) for p in cond.or_paths))


def _question(cls: type[BaseModel], holder: str, name: str) -> Question:
    path = f"{holder}.{name}" if holder else name
    kind, choices = _kind(cls, name)
    label = label_for(path)
    if cls is YesNo and name == "answer":
        label = label_for(holder)  # the question itself, e.g. Part B item 1.A
    cond = _absolute(INNER.get((cls.__name__, name)), holder)
    return Question(path, item_for(path), label, kind, choices, cond, help_for(path))


def _group(cls: type[BaseModel], path: str, index: int = -1) -> Group:
    questions = tuple(_question(cls, path, name) for name in cls.model_fields)
    return Group(path, item_for(path), label_for(path), questions, index, help=help_for(path))


def model_at(root: str) -> type[BaseModel]:
    """The model class at a path without indices ("background.residences" -> Residence)."""
    cls: type[BaseModel] = Application
    for part in filter(None, root.split(".")):
        annotation, _ = _unwrap(cls.model_fields[part].annotation)
        if get_origin(annotation) is list:
            annotation = get_args(annotation)[0]
        cls = annotation
    return cls


def blocks(step: Step, count: int = 0) -> tuple[Block, ...]:
    """The questions of ``step``; for a repeating step, one group per entry (``count`` of them)."""
    cls = model_at(step.root)
    if step.repeating:
        return tuple(_group(cls, f"{step.root}[{i}]", i) for i in range(count))
    out: list[Block] = []
    for name in step.fields:
        sub = _submodel(cls, name)
        path = f"{step.root}.{name}" if step.root else name
        if sub is YesNo:
            out.extend(_question(sub, path, leaf) for leaf in sub.model_fields)
        elif sub is not None:
            group = _group(sub, path)
            if step.toggle is not None and _unwrap(cls.model_fields[name].annotation)[1]:
                # An optional block behind the step's checkbox question (mailing address).
                group = replace(group, show_if=Condition(f"meta.{step.toggle.key}", ("yes",)))
            out.append(group)
        else:
            out.append(_question(cls, step.root, name))
    return tuple(out)
