"""Who may do what to a case (issue 4, point 2), as data.

Two questions decide every access, both asked by ``refugio_web.cases.case_for``:

1. *Which cases can the user reach?* An organisation admin: every case of the organisation.
   Everyone else: the cases they are assigned to (``Case.members``); an applicant is assigned to
   their own case only. Anything else is not found (404), never forbidden (403): even the
   existence of an application is confidential (8 CFR 208.6(b)).
2. *What may the user do there?* The table below, by role. A case the user can reach but may not
   act on in that way also answers 404, so that a page never tells what exists.

Least privilege (OWASP ASVS 5.0, V8): interpreters read, to translate for the applicant — they
neither change answers nor take the filled form away, and in the dossier change translations
only; exporting and deleting are separate needs so that they can be re-authenticated and
audited on their own.
"""

from __future__ import annotations

from enum import StrEnum

from refugio_web.models import Role, User

__all__ = ["CREATES_CASES", "Need", "allowed", "sees_every_case"]


class Need(StrEnum):
    VIEW = "view"  # the case page, the screens, the review
    EDIT = "edit"  # save answers
    # Change only the translations of the dossier (issue 5): the English and native texts of
    # declaration paragraphs and the English summary of events; refugio_web.dossiers checks it.
    TRANSLATE = "translate"
    EXPORT = "export"  # download or preview the filled form (the whole file leaves the app)
    DELETE = "delete"  # delete the case and its key
    ASSIGN = "assign"  # choose who works on the case


_BY_ROLE: dict[str, frozenset[Need]] = {
    Role.ADMIN: frozenset(Need),
    Role.REPRESENTATIVE: frozenset({Need.VIEW, Need.EDIT, Need.TRANSLATE, Need.EXPORT}),
    Role.STAFF: frozenset({Need.VIEW, Need.EDIT, Need.TRANSLATE, Need.EXPORT}),
    # Interpreters read and translate (issue 5, point 1): nothing else changes, nothing leaves.
    Role.INTERPRETER: frozenset({Need.VIEW, Need.TRANSLATE}),
    # An applicant answers and prints their own application (many have no lawyer).
    Role.APPLICANT: frozenset({Need.VIEW, Need.EDIT, Need.TRANSLATE, Need.EXPORT}),
}

# Who may open a new case (an applicant's case is opened for them; interpreters only read).
CREATES_CASES = frozenset({Role.ADMIN, Role.REPRESENTATIVE, Role.STAFF})


def sees_every_case(user: User) -> bool:
    """Organisation admins reach every case of their organisation without being assigned."""
    return user.role == Role.ADMIN


def allowed(user: User, need: Need) -> bool:
    return need in _BY_ROLE.get(user.role, frozenset())
