"""What the templates show: the core's screens, questions and findings, translated.

Question texts, form items and messages come from the core in English; here they pass through
gettext, so the catalogues in ``locale/`` translate them (``tools/i18n.py`` collects them from
the core). An answer is never translated: it is shown exactly as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from refugio.check import Finding
from refugio.interview import (
    Draft,
    Group,
    PartProgress,
    Question,
    Step,
    get,
    questions_of,
    step_blocks,
    visible,
    visible_steps,
)

_ITEM = re.compile(
    r"^(?P<part>(?:Part|Page) [^,]+)"
    r"(?:, (?P<who>spouse|child (?P<child>\d+)))?"
    r"(?:, items? (?P<item>[0-9.A-Z-]+))?(?P<rest>.*)$"
)


def item_text(item: str) -> str:
    """A form item in the user's language: "Part A.II, child 2, item 8"."""
    m = _ITEM.match(item)
    if m is None or m["rest"]:
        return _(item) if item else ""
    part = m["part"]
    out = _("Part %(part)s") % {"part": part[5:]} if part.startswith("Part ") else _(part)
    if m["who"] == "spouse":
        out = _("%(where)s, spouse") % {"where": out}
    elif m["child"]:
        out = _("%(where)s, child %(n)s") % {"where": out, "n": m["child"]}
    if m["item"]:
        out = _("%(where)s, item %(item)s") % {"where": out, "item": m["item"]}
    return out


def sentence(text: str) -> str:
    """A model label as a question: translated, first letter capitalised."""
    translated = _(text)
    return translated[:1].upper() + translated[1:]


def error_text(item: str, label: str, message: str) -> str:
    """ "Part A.I, item 12 (date of birth): enter a real date ..." in the user's language."""
    return _("%(item)s (%(question)s): %(message)s") % {
        "item": item_text(item),
        "question": _(label),
        "message": _(message),
    }


@dataclass
class Field:
    q: Question
    label: str
    item: str
    value: Any
    error: str = ""
    notes: list[str] = field(default_factory=list)  # check findings (errors and warnings)
    hidden: bool = False  # a condition says it does not apply now (shown anyway without JS)
    condition: str = ""  # "Answer if ... is yes", for readers without JavaScript
    choices: list[tuple[str, str]] = field(default_factory=list)
    help: str = ""

    @property
    def dom_id(self) -> str:
        return self.q.dom_id

    @property
    def kind(self) -> str:
        return self.q.kind

    @property
    def cond_path(self) -> str:
        return " ".join(self.q.show_if.paths) if self.q.show_if else ""

    @property
    def cond_values(self) -> str:
        return " ".join(self.q.show_if.values) if self.q.show_if else ""

    @property
    def describedby(self) -> str:
        """The ids of what describes the answer: condition, help, format hint, error, notes."""
        ids = [
            ("cond", bool(self.condition)),
            ("help", bool(self.help)),
            ("hint", self.kind in ("date", "month_year", "lines")),
            ("error", bool(self.error)),
            ("notes", bool(self.notes)),
        ]
        return " ".join(f"{self.dom_id}-{name}" for name, present in ids if present)


@dataclass
class Box:
    """A fieldset: a group of questions, or one entry of a list."""

    path: str
    legend: str
    item: str
    fields: list[Field]
    index: int = -1
    hidden: bool = False
    cond_path: str = ""
    cond_values: str = ""
    help: str = ""


def _condition_text(q: Question) -> str:
    if q.show_if is None:
        return ""
    values = ", ".join(_(v) for v in q.show_if.values if v)
    return _("Answer this only if the answer above is: %(values)s") % {"values": values or _("no")}


def _field(q: Question, draft: Draft, errors: dict[str, str], notes: dict[str, list[str]]) -> Field:
    value = get(draft, q.path)
    error = errors.get(q.path, "")
    return Field(
        q=q,
        label=sentence(q.label),
        item=item_text(q.item),
        value=value if isinstance(value, str) else "",
        error=error_text(q.item, q.label, error) if error else "",
        notes=notes.get(q.path, []),
        hidden=not visible(q.show_if, draft),
        condition=_condition_text(q),
        choices=[(v, _(label)) for v, label in q.choices],
        help=_(q.help) if q.help else "",
    )


def screen(
    step: Step, draft: Draft, errors: dict[str, str], findings: list[Finding]
) -> list[Field | Box]:
    """The blocks of a screen, ready for the template."""
    notes: dict[str, list[str]] = {}
    for f in findings:
        notes.setdefault(f.path, []).append(finding_text(f))
    out: list[Field | Box] = []
    for block in step_blocks(step, draft):
        if isinstance(block, Group):
            noun = _(step.noun) if step.noun else ""
            legend = (
                _("%(noun)s %(n)s") % {"noun": noun.capitalize(), "n": block.index + 1}
                if block.index >= 0
                else sentence(block.label)
            )
            out.append(
                Box(
                    path=block.path,
                    legend=legend,
                    item=item_text(block.item),
                    fields=[_field(q, draft, errors, notes) for q in block.questions],
                    index=block.index,
                    hidden=not visible(block.show_if, draft),
                    cond_path=" ".join(block.show_if.paths) if block.show_if else "",
                    cond_values=" ".join(block.show_if.values) if block.show_if else "",
                    help=_(block.help) if block.help else "",
                )
            )
        else:
            out.append(_field(block, draft, errors, notes))
    return out


# The checker speaks to users of `refugio fill --na`; on the web the same option is the review
# page's "Write NONE or N/A" checkbox, ticked by default.
_WEB_WORDING = {
    "%(label)s is blank; `fill --na` will write %(word)s": gettext_noop(
        "%(label)s is blank; the downloaded form will say %(word)s"
    ),
}


def finding_text(f: Finding) -> str:
    """A check finding in the user's language: its template and the phrases among its values
    are translated; the answers, dates and citations quoted in it stay as they are."""
    text_ = f.text
    if text_.template in _WEB_WORDING:
        text_ = replace(text_, template=_WEB_WORDING[text_.template])
    try:
        message = text_.render(_)
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder
        message = f.message
    return _("%(item)s: %(message)s") % {"item": item_text(f.item), "message": message}


def step_findings(step: Step, draft: Draft, findings: list[Finding]) -> list[Finding]:
    paths = {q.path for q in questions_of(step, draft)}
    roots = {step.root} if step.repeating else set()
    return [
        f
        for f in findings
        if f.path in paths or any(f.path == r or f.path.startswith(r + "[") for r in roots)
    ]


def part_title(part: str) -> str:
    return item_text(part)


@dataclass
class NavItem:
    slug: str
    title: str
    part: str
    current: bool
    visited: bool


def navigation(draft: Draft, steps: list[Step], current: str) -> list[tuple[str, list[NavItem]]]:
    visited = set(draft.get("meta", {}).get("visited", []))
    parts: dict[str, list[NavItem]] = {}
    for s in steps:
        parts.setdefault(s.part, []).append(
            NavItem(s.slug, _(s.title), s.part, s.slug == current, s.slug in visited)
        )
    return [(part_title(p), items) for p, items in parts.items()]


def progress_rows(per_part: list[PartProgress]) -> list[dict[str, Any]]:
    return [
        {"part": part_title(p.part), "answered": p.answered, "total": p.total, "pct": p.percent}
        for p in per_part
    ]


def dom_id(path: str) -> str:
    return "q-" + path.replace("[", "-").replace("]", "").replace(".", "-")


def error_list(step: Step, draft: Draft, errors: dict[str, str]) -> list[tuple[str, str]]:
    """The error summary of a screen: each unreadable answer, in screen order."""
    by_path = {q.path: q for q in questions_of(step, draft, only_visible=False)}
    out = []
    for path, message in errors.items():
        q = by_path.get(path)
        label = q.label if q else path.rsplit(".", 1)[-1].replace("_", " ")
        item = q.item if q else ""
        out.append((path, error_text(item, label, message)))
    return out


@dataclass
class ReviewRow:
    item: str
    label: str
    value: str
    error: str = ""
    entry: str = ""  # "Child 2": the entry of a list the answer belongs to
    notes: list[str] = field(default_factory=list)


_ENTRY = re.compile(r"^[a-z_.]+\[(\d+)\]")


@dataclass
class ReviewSection:
    slug: str
    title: str
    part: str
    rows: list[ReviewRow]


def _shown(q: Question, raw: Any) -> str:
    if q.kind == "checkbox":  # an unticked box is an answer: no
        return _("Yes") if isinstance(raw, str) and raw.strip() else _("No")
    if not isinstance(raw, str) or not raw.strip():
        return ""
    if q.kind == "yes_no":
        return _("Yes") if raw == "yes" else _("No") if raw == "no" else raw
    if q.kind == "choice":
        return next((_(label) for v, label in q.choices if v == raw), raw)
    return raw


def review_sections(
    draft: Draft, errors: dict[str, str], findings: list[Finding]
) -> list[ReviewSection]:
    """Every answer that applies, screen by screen, with its item and an edit link."""
    sections = []
    for step in visible_steps(draft):
        rows = []
        if step.toggle is not None:
            raw = draft.get("meta", {}).get(step.toggle.key, "")
            value = _("Yes") if raw == "yes" else _("No") if raw == "no" else ""
            rows.append(ReviewRow(item_text(step.toggle.item), sentence(step.toggle.label), value))
        notes: dict[str, list[str]] = {}
        for f in findings:
            notes.setdefault(f.path, []).append(finding_text(f))
        for q in questions_of(step, draft):
            error = errors.get(q.path, "")
            entry = _ENTRY.match(q.path) if step.repeating else None
            rows.append(
                ReviewRow(
                    item_text(q.item),
                    sentence(q.label),
                    _shown(q, get(draft, q.path)),
                    error_text(q.item, q.label, error) if error else "",
                    entry=_("%(noun)s %(n)s")
                    % {"noun": _(step.noun).capitalize(), "n": int(entry[1]) + 1}
                    if entry
                    else "",
                    notes=notes.get(q.path, []),
                )
            )
        sections.append(ReviewSection(step.slug, _(step.title), item_text(step.part), rows))
    return sections
