"""The one way to reach other people's accounts (issue 4, point 2): an organisation admin's list
and actions, and the colleagues a case can be given to. Anyone else, or an account of another
organisation, is not found (404) — the same answer as for a case.

Logging in looks accounts up by name in ``refugio_web.accounts`` and ``signals``; nothing else
queries users (``tests/test_architecture.py``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from refugio_web import accounts, audit
from refugio_web.models import Authenticator, Role, User
from refugio_web.writer import one_writer

__all__ = [
    "colleague",
    "colleagues",
    "create_person",
    "people_of",
    "person_for",
    "reset_second_factor",
    "set_temporary_password",
]


def people_of(admin: User) -> QuerySet[User]:
    """Every account of the admin's organisation; 404 for anyone but its admins."""
    if not admin.is_org_admin or admin.organisation_id is None:
        raise Http404
    people = User.objects.filter(organisation_id=admin.organisation_id).order_by("username")
    # Whether each has set up an authenticator (after a reset, until the next login: not).
    enrolled = Authenticator.objects.filter(user_id=OuterRef("pk"), confirmed=True)
    return people.annotate(enrolled=Exists(enrolled))


def person_for(admin: User, person_id: int, action: str | None) -> User:
    """One account of the admin's organisation, not the admin's own (an admin cannot reset
    their own factor or password here: that would skip their own second factor); the access
    recorded as ``action``, naming the account by id (never by name). None leaves the record
    to the caller, made when the change is (a refused form changes and records nothing)."""
    person = people_of(admin).filter(pk=person_id).exclude(pk=admin.pk).first()
    if person is None:
        raise Http404
    if action is not None:
        audit.append(admin, action, None, person=person.pk)
    return person


def _check(admin: User, person: User) -> None:
    if person.pk == admin.pk or person.organisation_id != admin.organisation_id:
        raise Http404
    people_of(admin)  # 404 for anyone but an admin


def reset_second_factor(admin: User, person: User) -> None:
    """The admin makes a colleague set up their authenticator again (a lost or stolen phone):
    their devices are deleted and every session ends; recorded, naming the account by id."""
    _check(admin, person)
    with one_writer(), transaction.atomic():
        accounts.reset_second_factor(person)
        audit.append(admin, "reset-second-factor", None, person=person.pk)


def set_temporary_password(admin: User, person: User, password: str) -> None:
    """The admin gives a colleague a password (validated by the form), to be changed at the next
    login; every session ends. Recorded, naming the account by id — never the password."""
    _check(admin, person)
    with one_writer(), transaction.atomic():
        accounts.set_temporary_password(person, password)
        audit.append(admin, "set-temporary-password", None, person=person.pk)


def create_person(admin: User, person: User, password: str) -> User:
    """Save a new account of the admin's organisation; recorded, naming it by id."""
    people_of(admin)  # 404 for anyone but an admin
    person.organisation_id = admin.organisation_id
    person.set_password(password)
    with one_writer():
        person.save()
    audit.append(admin, "create-account", None, person=person.pk)
    return person


def colleagues(organisation_id: int) -> QuerySet[User]:
    """The active people of an organisation who can be assigned to its cases (not its admins,
    who reach every case; not an applicant who has a case already: one case each)."""
    people = User.objects.filter(organisation_id=organisation_id, is_active=True)
    people = people.exclude(role=Role.ADMIN)
    return people.exclude(role=Role.APPLICANT, assigned_cases__isnull=False).order_by("username")


def colleague(organisation_id: int, person_id: int) -> User:
    """One account of the organisation (active or not, to take it off a case); 404 otherwise."""
    person = User.objects.filter(pk=person_id, organisation_id=organisation_id).first()
    if person is None:
        raise Http404
    return person
