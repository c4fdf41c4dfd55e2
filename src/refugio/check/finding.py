"""What the checker reports: one finding per problem, naming the form item and the model path.

A message is English, made of a constant template with ``%(name)s`` placeholders and its values
(``Text``), so that a front end can show it in the user's language: it translates the template
and the phrases among the values (labels, reasons), never an answer quoted in them nor a date.
``tools/i18n.py`` collects the templates and phrases from this package's source: each is a
string literal given to ``error`` or ``warning`` (second argument), ``finding`` (third),
``phrase`` or ``text`` (first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from refugio.model import Application
from refugio.paths import item_for

__all__ = [
    "Finding",
    "Param",
    "Rule",
    "Severity",
    "Text",
    "error",
    "finding",
    "listing",
    "phrase",
    "text",
    "warning",
]

Severity = Literal["error", "warning"]


def _same(template: str) -> str:
    return template


@dataclass(frozen=True)
class Text:
    """English text as a template and its values: ``Text("ZIP code must be 5 digits:
    %(value)s", (("value", "'1234'"),))``. A value is a plain string (an answer, a date, a
    citation: never translated) or a ``Text`` (a phrase: translated with the template)."""

    template: str
    params: tuple[tuple[str, Param], ...] = ()

    def render(self, translate: Callable[[str], str] = _same) -> str:
        """The text, with ``translate`` applied to every template (English by default)."""
        template = translate(self.template)
        if not self.params:
            return template
        values = {
            name: value.render(translate) if isinstance(value, Text) else value
            for name, value in self.params
        }
        return template % values

    def templates(self) -> list[str]:
        """This template and those of the phrases among its values, for catalogue checks."""
        found = [self.template]
        for _name, value in self.params:
            if isinstance(value, Text):
                found.extend(value.templates())
        return found

    def __str__(self) -> str:
        return self.render()


Param = str | Text


def text(template: str, /, **params: Param) -> Text:
    """A message from a constant ``template`` and its values."""
    return Text(template, tuple(params.items()))


def phrase(words: str) -> Text:
    """A word or phrase that goes into a message (a label, a reason) and is translated."""
    return Text(words)


def listing(items: Sequence[Text]) -> Text:
    """Phrases joined by commas ("not in the US, married"); the comma is translated too."""
    first, *rest = items
    if not rest:
        return first
    return Text("%(first)s, %(rest)s", (("first", first), ("rest", listing(rest))))


@dataclass(frozen=True)
class Finding:
    """One problem: ``error`` must be fixed before filing, ``warning`` deserves a look."""

    severity: Severity
    item: str
    """The form item, e.g. "Part A.I, item 12" (derived from the model's descriptions)."""
    path: str
    """The model path, e.g. "applicant.date_of_birth" or "children[2].date_of_birth"."""
    message: str
    """The message in English (``text`` rendered)."""
    text: Text = field(default=Text(""), compare=False, repr=False)
    """The message as a template and its values, for a front end to translate."""

    def __post_init__(self) -> None:
        if not self.text.template:  # made by hand from a message alone
            object.__setattr__(self, "text", Text(self.message))

    @property
    def template(self) -> str:
        return self.text.template

    @property
    def params(self) -> tuple[tuple[str, Param], ...]:
        return self.text.params

    def __str__(self) -> str:
        return f"{self.severity}: {self.item}: {self.message}"


Rule = Callable[[Application, dt.date], Iterable[Finding]]
"""A rule reads the application (and the date of the check) and yields its findings."""


def finding(severity: Severity, path: str, template: str, /, **params: Param) -> Finding:
    """A finding about the answer at ``path``, with its form item looked up in the model; the
    message is ``template`` with ``params`` (``%(name)s`` placeholders)."""
    message = text(template, **params)
    return Finding(severity, item_for(path), path, str(message), message)


def error(path: str, template: str, /, **params: Param) -> Finding:
    return finding("error", path, template, **params)


def warning(path: str, template: str, /, **params: Param) -> Finding:
    return finding("warning", path, template, **params)
