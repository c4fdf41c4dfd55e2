"""The people an application includes, and whom a name in the dossier means.

The applicant and each spouse or child included in Part A.II get a package of their own
(instructions Part 1 §X) and their own copies of the relationship documents (§V, Part A.II).
A dossier names the person a document is about in its own words (``Evidence.person``): the
name in either order, without the middle name, a name used before (Part A.I item 7, Part
A.II "other names used") or only the first name. :func:`member_named` reads all of these, and
answers None rather than guess when a name fits no one or several people.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from refugio.claim.model import APPLICANT
from refugio.model import Applicant, Application, Child, Spouse

__all__ = ["Member", "member_named", "members_of"]


@dataclass(frozen=True)
class Member:
    """The applicant or a family member included in the application (Part A.II)."""

    key: str  # "applicant", "spouse", "child-4" (the child's number in Part A.II)
    relation: str  # "applicant", "spouse", "child 4"
    name: str  # as in Part A.I: "Qiu, Wanling"
    first: str
    middle: str
    last: str
    i94: str = ""
    other_names: tuple[str, ...] = ()  # Part A.I item 7, Part A.II "other names used"

    @property
    def full_name(self) -> str:
        """In reading order, for sentences: "Wanling Qiu"."""
        return " ".join(p for p in (self.first, self.middle, self.last) if p)

    @property
    def names(self) -> frozenset[frozenset[str]]:
        """The names the person is known by, each as a set of words (so in any order)."""
        written = [f"{self.first} {self.last}", f"{self.first} {self.middle} {self.last}"]
        return frozenset(_words(n) for n in [*written, *self.other_names]) - {frozenset()}


def members_of(app: Application) -> list[Member]:
    """The applicant, then the spouse and the children included in the application, in the
    order of Part A.II (a child keeps its number there: "child-4")."""
    a, s = app.applicant, app.spouse
    people: list[tuple[str, str, Applicant | Spouse | Child, Sequence[str]]] = [
        (APPLICANT, "applicant", a, a.other_names)
    ]
    if s is not None and s.include_in_application:
        # Part A.II writes the spouse's other names in one box: "Wendy Qiu; Qiu Wendy".
        people.append(("spouse", "spouse", s, re.split(r"[;,/]", s.other_names)))
    people += [
        (f"child-{n}", f"child {n}", c, ())
        for n, c in enumerate(app.children, 1)
        if c.include_in_application
    ]
    found = []
    for key, relation, p, other in people:
        first, middle, last = p.first_name, p.middle_name, p.last_name
        given = " ".join(x for x in (first, middle) if x)
        name = ", ".join(x for x in (last, given) if x)  # as Application.name_as_in_part_a
        found.append(Member(key, relation, name, first, middle, last, p.i94_number, tuple(other)))
    return found


def member_named(person: str, members: Sequence[Member]) -> Member | None:
    """The member ``Evidence.person`` names: "applicant"; a name the member is known by (as in
    Part A, in any order, with or without the middle name, or one of the other names used); or
    a first name alone that no other member included has. None when no one or several match."""
    if person.strip() == APPLICANT:
        return members[0] if members else None
    words = _words(person)
    found = [m for m in members if words in m.names]
    if not found:
        found = [m for m in members if _words(m.first) == words]
    return found[0] if len(found) == 1 else None


def _words(name: str) -> frozenset[str]:
    # Accents do not tell people apart here: a dossier may write "Nguyen" for "Nguyễn".
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return frozenset(re.split(r"[\s,]+", plain.casefold())) - {""}
