"""The one way to reach a case: every view and command goes through these functions.

``case_for`` answers 404 for a case the user may not see — never 403, because even the fact that
someone applied for asylum is confidential (8 CFR 208.6(b)) — and records the access.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import threading
import uuid
from collections import OrderedDict
from pathlib import Path

import pikepdf
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from refugio.crypto import wrapped_by
from refugio.editions import DEFAULT_EDITION, get_edition
from refugio.errors import RefugioError
from refugio.fill.filler import fill_pdf
from refugio.fill.pdfdoc import open_blank
from refugio.interview import Draft, build, progress
from refugio.model import Application
from refugio_web import audit, files, jobs, people, vault
from refugio_web.access import Need, allowed, sees_every_case
from refugio_web.errors import EditConflict, OutputError
from refugio_web.models import Case, Role, User
from refugio_web.writer import one_writer

__all__ = [
    "assign",
    "case_for",
    "cases_for",
    "create_case",
    "delete_case",
    "filled_form",
    "members",
    "page_count",
    "page_preview",
    "record",
    "rotate_keys",
    "save_draft",
    "save_sealed_dossier",
]


def record(
    user: User | None, action: str, case: Case | None = None, **detail: str | int | bool
) -> None:
    """Append an access event: who, what, when, which case — never an answer (``detail``:
    identifiers chosen by the code, such as a download's format)."""
    with one_writer():
        audit.append(user, action, case.pk if case else None, **detail)


def cases_for(user: User) -> QuerySet[Case]:
    """The cases ``user`` can reach: every case of the organisation for its admins, the cases
    assigned to them for everyone else (refugio_web.access)."""
    if not user.is_authenticated or user.organisation_id is None:
        return Case.objects.none()
    mine = Case.objects.filter(organisation_id=user.organisation_id)
    return mine if sees_every_case(user) else mine.filter(members=user)


def case_for(
    user: User,
    case_id: uuid.UUID | str,
    action: str | None = "view",
    need: Need = Need.VIEW,
) -> Case:
    """The case, if ``user`` can reach it and may do ``need`` there; 404 otherwise (existence
    must not leak, and neither must a right the user lacks).

    The access is recorded as ``action``; None leaves it to the caller: a save records it with
    the edit (``save_draft(opened=...)``), in one transaction — one sync to disk, not two.
    """
    if not allowed(user, need):
        raise Http404
    try:
        case = cases_for(user).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action is not None:
        record(user, action, case)
    return case


def members(user: User, case: Case) -> tuple[list[User], list[User]]:
    """Who is assigned to ``case`` and who of the organisation could be (for its admins)."""
    assigned = list(case.members.order_by("username"))
    others = people.colleagues(case.organisation_id).exclude(pk__in=[u.pk for u in assigned])
    return assigned, list(others)


def assign(user: User, case: Case, member_id: int, *, on: bool) -> None:
    """Assign a person of the case's organisation to it (or take them off); recorded."""
    member = people.colleague(case.organisation_id, member_id)
    # An applicant sees their own case only: never a second one (issue 4, point 2).
    if on and member.role == Role.APPLICANT and member.assigned_cases.exclude(pk=case.pk).exists():
        raise Http404
    with one_writer(), transaction.atomic():
        if on:
            case.members.add(member)
        else:
            case.members.remove(member)
    audit.append(user, "assign" if on else "unassign", case.pk, person=member.pk)


def create_case(user: User, reference: str, draft: Draft | None = None) -> Case:
    if user.organisation_id is None:
        raise Http404
    case = Case(organisation_id=user.organisation_id, created_by=user)
    case.reference = reference  # sealed, with a new data key for the case
    case.draft = draft or {"meta": {}}
    case.percent_done = progress(case.draft)[1].percent
    with one_writer(), transaction.atomic():
        case.save(force_insert=True)
        case.members.add(user)  # whoever opens a case works on it
    record(user, "create", case)
    return case


def delete_case(user: User, case: Case) -> None:
    """Delete the case and with it its data key (crypto-shredding, issue 4 point 1).

    The row holds the only copy of the wrapped data key, so every ciphertext of the case left
    anywhere — an old backup, a page SQLite has not overwritten — can no longer be read.
    SQLite's secure_delete zeroes the freed space, and the write-ahead log, which still holds
    the page as it was, is emptied at once rather than at the next checkpoint.
    """
    with one_writer(), transaction.atomic():
        Case.objects.filter(pk=case.pk).delete()
        audit.append(user, "delete", case.pk)
    _forget_filled(str(case.pk))
    files.delete_all(case.pk)  # sealed with the key just destroyed; removed all the same
    # Not inside a caller's transaction (tests): the checkpoint needs the database to itself.
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with one_writer(), connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def rotate_keys(*, new_data_keys: bool = False) -> tuple[int, int]:
    """Re-wrap every case's data key under the current master key (or give each a new data key).

    Case by case, each in its own transaction: an interrupted rotation is resumed by running it
    again. Returns (cases changed, cases already under the current key).

    With new data keys, a case's stored files are sealed again too, in two steps around the
    commit of the row (files.stage_rekey before, files.settle_rekey after): if the process
    dies between them, the next run settles the files under whichever key was committed.
    """
    current = vault.ring().current.kid
    done = already = 0
    for pk in Case.objects.values_list("pk", flat=True):
        with one_writer():
            with transaction.atomic():
                case = Case.objects.select_for_update().get(pk=pk)
                files.settle_rekey(case.pk, key=case._key())
                if not new_data_keys and wrapped_by(bytes(case.data_key)) == current:
                    already += 1
                    continue
                if new_data_keys:
                    old = case._key()
                    case.rekey()
                    files.stage_rekey(case.pk, old_key=old, new_key=case._key())
                    jobs.reseal_errors(case, old)
                else:
                    case.rewrap()
                case.save(update_fields=Case.key_columns())
            # Committed: the staged files now belong to the key in the row.
            files.settle_rekey(case.pk, key=case._key())
            done += 1
    record(None, "rotate-keys")
    return done, already


def save_draft(
    user: User,
    case: Case,
    draft: Draft,
    version: int,
    *,
    opened: str | None = None,
    page: str = "",
) -> Case:
    """Store ``draft`` if the case is still at ``version``; else raise EditConflict.

    One UPDATE guarded by the version: of two people saving the same case, the second is told
    instead of silently overwriting the first (issue 4, point 8). A newer version made by the
    very page being submitted (``page``, its token; an autosave still on its way when the page
    was submitted or closed) is not a conflict; any other newer version is. ``opened`` is
    the access that reached the case (``case_for(..., None)``), recorded before the edit in the
    same transaction, or alone when nothing is saved.
    """
    percent = progress(draft)[1].percent
    now = timezone.now()
    sealed = case.seal("draft", draft)
    changes = {
        "draft_sealed": sealed,
        "version": F("version") + 1,
        "percent_done": percent,
        "updated_at": now,
        "last_editor": user,
        "last_page": page,
    }
    try:
        with one_writer(), transaction.atomic():
            # Guarded by the wrapped data key too: sealed before a key rotation committed, the
            # draft would be noise under the new key (refused, as a conflict, instead).
            rows = Case.objects.filter(pk=case.pk, data_key=bytes(case.data_key))
            saved = rows.filter(version=version).update(**changes)
            # Strictly by version otherwise, even for the same user: a second tab or a stale
            # list page saving over a newer version would bring back removed entries.
            if not saved and not (page and rows.filter(last_page=page).update(**changes)):
                raise EditConflict("someone else saved this case since the page was opened")
            actions = ("edit",) if opened is None else (opened, "edit")
            audit.append_many(user, actions, case.pk)
    except EditConflict:
        if opened is not None:
            record(user, opened, case)
        raise
    # What was written is known; only a version saved over by the same page is read back.
    case.remember("draft", sealed, draft)
    case.percent_done, case.updated_at = percent, now
    case.last_editor = user
    if saved:
        case.version = version + 1
    else:
        case.refresh_from_db(fields=["version"])
    return case


def save_sealed_dossier(
    user: User, case: Case, sealed: bytes, version: int, *, action: str = "dossier-edit"
) -> int:
    """Store a sealed dossier (``refugio_web.dossiers`` seals and checks it) if the dossier is
    still at ``version``; else raise EditConflict. Returns the new version.

    As ``save_draft``: one UPDATE guarded by the version, so of two people saving the same
    case's dossier the second is told and nothing is overwritten (issue 5; decision 13). The
    edit is recorded as ``action`` in the same transaction — never the content.
    """
    now = timezone.now()
    with one_writer(), transaction.atomic():
        # Also guarded by the wrapped data key it was sealed under: a save begun before a
        # key rotation committed is refused (told to try again), never stored as noise.
        rows = Case.objects.filter(pk=case.pk, data_key=bytes(case.data_key))
        saved = rows.filter(dossier_version=version).update(
            dossier_sealed=sealed,
            dossier_version=F("dossier_version") + 1,
            updated_at=now,
            last_editor=user,
        )
        if not saved:
            raise EditConflict("someone else saved this dossier since the page was opened")
        audit.append(user, action, case.pk)
    case.dossier_sealed, case.dossier_version, case.updated_at = sealed, version + 1, now
    case.last_editor = user
    return case.dossier_version


def _blank(edition: str) -> Path:
    return Path(settings.FORMS_DIR) / get_edition(edition or DEFAULT_EDITION).filename


# The last few filled forms, by (case, version, edition, day): the preview page asks for every
# page image of one form, and filling it again for each would cost ~0.2 s a page. Memory only.
_FILLED: OrderedDict[tuple[str, int, str, dt.date, bool], tuple[bytes, Application]] = OrderedDict()
_FILLED_KEEP = 4
_FILLED_LOCK = threading.Lock()


def filled_form(
    case: Case, edition: str, today: dt.date, *, na: bool = True
) -> tuple[bytes, Application]:
    """The filled I-589 as bytes (made in memory: no plaintext copy on disk).

    ``na`` writes "N/A" or "NONE" into answers left empty, as the instructions ask (Part 1 §V).
    """
    key = (str(case.pk), case.version, edition, today, na)
    with _FILLED_LOCK:
        if key in _FILLED:
            _FILLED.move_to_end(key)
            return _FILLED[key]
    result = _fill(case, edition, today, na)
    with _FILLED_LOCK:
        _FILLED[key] = result
        while len(_FILLED) > _FILLED_KEEP:
            _FILLED.popitem(last=False)
    return result


def _forget_filled(case_id: str) -> None:
    with _FILLED_LOCK:
        for key in [k for k in _FILLED if k[0] == case_id]:
            del _FILLED[key]


def _fill(case: Case, edition: str, today: dt.date, na: bool) -> tuple[bytes, Application]:
    built = build(case.draft)
    if built.app is None or built.errors:
        # An answer that cannot be read would be left blank, or written N/A, on the form.
        raise OutputError("some answers cannot be read yet")
    try:
        with open_blank(_blank(edition)) as pdf:
            edition_ = get_edition(edition or DEFAULT_EDITION)
            fill_pdf(built.app, pdf, today=today, na=na, edition=edition_)
            out = io.BytesIO()
            pdf.save(out)
    except RefugioError as exc:
        # The core's message names the form item (e.g. a character no font can draw).
        raise OutputError(str(exc)) from exc
    return out.getvalue(), built.app


def page_preview(pdf: bytes, page: int, dpi: int = 60) -> bytes:
    """One page of a filled form as PNG, rendered by poppler from memory (stdin to stdout)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise OutputError("pdftoppm (poppler-utils) is not installed")
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, our own PDF on stdin
            [pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"],
            input=pdf,
            capture_output=True,
            env=vault.child_environment(),
            timeout=60,
            check=False,
        )
    except FileNotFoundError as exc:
        raise OutputError("pdftoppm (poppler-utils) is not installed") from exc
    if done.returncode != 0 or not done.stdout:
        raise OutputError(f"page {page} could not be rendered")
    return done.stdout


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)
