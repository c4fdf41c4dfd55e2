"""What the checker reports: one finding per problem, naming the form item and the model path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from refugio.model import Application
from refugio.paths import item_for

__all__ = ["Finding", "Rule", "Severity", "error", "finding", "warning"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem: ``error`` must be fixed before filing, ``warning`` deserves a look."""

    severity: Severity
    item: str
    """The form item, e.g. "Part A.I, item 12" (derived from the model's descriptions)."""
    path: str
    """The model path, e.g. "applicant.date_of_birth" or "children[2].date_of_birth"."""
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.item}: {self.message}"


Rule = Callable[[Application, dt.date], Iterable[Finding]]
"""A rule reads the application (and the date of the check) and yields its findings."""


def finding(severity: Severity, path: str, message: str) -> Finding:
    """A finding about the answer at ``path``, with its form item looked up in the model."""
    return Finding(severity, item_for(path), path, message)


def error(path: str, message: str) -> Finding:
    return finding("error", path, message)


def warning(path: str, message: str) -> Finding:
    return finding("warning", path, message)
