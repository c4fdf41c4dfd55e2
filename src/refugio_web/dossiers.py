"""A case's dossier — timeline, evidence, declaration — read, checked and saved (issue 5,
points 1 and 4, web side).

The dossier (``refugio.claim.model.Dossier``) is one JSON value sealed under the case's data key
(``Case.dossier``, like the draft); ``refugio_web.cases.save_sealed_dossier`` stores it with an
optimistic version of its own, so of two people saving, the second is told (``EditConflict``)
and nothing is overwritten. Every save is audited as "dossier-edit", never with content.

Who may change what is decided here, not by the pages (issue 5, point 5): people with
``Need.EDIT`` change everything; people with only ``Need.TRANSLATE`` (interpreters) change only
the English and native texts of declaration paragraphs and the English summary of events —
``save_dossier`` compares the dossier before and after and refuses (404, as ``case_for`` does
for a right the user lacks) any other difference.

Uploaded documents go through ``refugio.uploads.inspect`` and ``refugio_web.files.store``
before the dossier is saved; if the save fails, the stored files are removed again (nothing
half-stored). Files of deleted evidence are removed only after the save succeeded.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404

from refugio.claim.model import Dossier, Event, Evidence, Interpreter, Paragraph, Section
from refugio.errors import DossierError, UploadError
from refugio.uploads import Checked, inspect
from refugio_web import cases, files, jobs
from refugio_web.access import Need, allowed
from refugio_web.errors import EditConflict
from refugio_web.models import Case, User
from refugio_web.writer import one_writer

__all__ = [
    "DeclarationSettings",
    "Upload",
    "UploadRefused",
    "add_event",
    "add_evidence",
    "change_event",
    "change_evidence",
    "delete_event",
    "delete_evidence",
    "dossier_of",
    "evidence_file",
    "save_declaration",
    "save_dossier",
]


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: the form field it came in, its name (shown back in an
    error message, never stored) and its bytes."""

    field: str
    name: str
    data: bytes = dataclasses.field(repr=False)


class UploadRefused(UploadError):
    """An uploaded file was refused; ``field`` and ``name`` say which, ``reason`` why (the
    core's message, in English, for gettext)."""

    def __init__(self, upload: Upload, reason: str, size: int = 0, limit: int = 0) -> None:
        super().__init__(f"{upload.name}: {reason}")
        self.field, self.name, self.reason = upload.field, upload.name, reason
        self.size, self.limit = size, limit


def dossier_of(case: Case) -> Dossier:
    """The case's dossier (empty before its first save)."""
    return Dossier.model_validate(case.dossier)


def save_dossier(user: User, case: Case, dossier: Dossier, version: int) -> Dossier:
    """Seal and store ``dossier`` if the case's dossier is still at ``version``.

    EditConflict if someone saved since; Http404 if the user may not make these changes;
    DossierError if a link is broken (a bug of the caller: the functions below keep links).
    """
    # Rights first: callers build ``dossier`` from the current one, so the difference is the
    # user's own, whatever version their page showed.
    _check_allowed(user, dossier_of(case), dossier)
    if version != case.dossier_version:  # the page was made from another version
        raise EditConflict("someone else saved this dossier since the page was opened")
    problems = dossier.problems()
    if problems:
        raise DossierError("; ".join(problems))
    data = dossier.model_dump(mode="json")
    sealed = case.seal("dossier", data)
    cases.save_sealed_dossier(user, case, sealed, version)
    case.remember("dossier", sealed, data)
    return dossier


def _check_allowed(user: User, before: Dossier, after: Dossier) -> None:
    if allowed(user, Need.EDIT):
        return
    if allowed(user, Need.TRANSLATE) and _translations_only(before, after):
        return
    raise Http404  # a right the user lacks answers as a case they cannot reach (8 CFR 208.6)


def _translations_only(before: Dossier, after: Dossier) -> bool:
    """Whether ``after`` differs from ``before`` only in what an interpreter may change
    (issue 5, point 5: "read and translate")."""
    rest: dict[str, object] = {"events": [], "declaration": []}
    if before.model_copy(update=rest) != after.model_copy(update=rest):
        return False
    if [e.id for e in before.events] != [e.id for e in after.events]:
        return False
    if len(before.declaration) != len(after.declaration):
        return False
    for old, new in zip(before.events, after.events, strict=True):
        if new.model_copy(update={"summary_en": old.summary_en}) != old:
            return False
    texts = ("native", "english", "edited")
    for p, q in zip(before.declaration, after.declaration, strict=True):
        if q.model_copy(update={k: getattr(p, k) for k in texts}) != p:
            return False
    return True


def _new_id(dossier: Dossier, prefix: str) -> str:
    """A new id, random rather than counted: the model asks that ids are never reused inside a
    dossier, and it keeps no counter, so "the highest plus one" would give a deleted event's
    id to a new one (and a stale page's link to it)."""
    taken = {e.id for e in dossier.events} | {x.id for x in dossier.evidence}
    while True:
        candidate = prefix + secrets.token_hex(4)
        if candidate not in taken:
            return candidate


def _link_event(dossier: Dossier, event: Event) -> None:
    """Evidence lists the events it supports and events list their evidence: keep both sides
    equal to what the event now says."""
    for item in dossier.evidence:
        linked = event.id in item.events
        if (item.id in event.evidence) != linked:
            item.events = (
                [e for e in item.events if e != event.id] if linked else [*item.events, event.id]
            )


def _link_evidence(dossier: Dossier, item: Evidence) -> None:
    for event in dossier.events:
        linked = item.id in event.evidence
        if (event.id in item.events) != linked:
            event.evidence = (
                [x for x in event.evidence if x != item.id]
                if linked
                else [*event.evidence, item.id]
            )


# --- the timeline -------------------------------------------------------------------------


def add_event(user: User, case: Case, version: int, event: Event) -> Event:
    """Add ``event`` (its id is replaced by a new one) to the timeline."""
    dossier = dossier_of(case)
    event = event.model_copy(update={"id": _new_id(dossier, "e")})
    _check_links(dossier, event.evidence, [])
    dossier.events = [*dossier.events, event]
    _link_event(dossier, event)
    save_dossier(user, case, dossier, version)
    return event


def change_event(user: User, case: Case, version: int, event: Event) -> Event:
    """Replace the event of the same id (Http404 if there is none)."""
    dossier = dossier_of(case)
    if dossier.event(event.id) is None:
        raise Http404
    _check_links(dossier, event.evidence, [])
    dossier.events = [event if e.id == event.id else e for e in dossier.events]
    _link_event(dossier, event)
    save_dossier(user, case, dossier, version)
    return event


def delete_event(user: User, case: Case, version: int, event_id: str) -> None:
    """Remove an event, its links from evidence and from declaration paragraphs."""
    dossier = dossier_of(case)
    if dossier.event(event_id) is None:
        raise Http404
    dossier.events = [e for e in dossier.events if e.id != event_id]
    for item in dossier.evidence:
        if event_id in item.events:
            item.events = [e for e in item.events if e != event_id]
    for p in dossier.declaration:
        if p.event == event_id:
            p.event = None
    save_dossier(user, case, dossier, version)


def _check_links(dossier: Dossier, evidence: list[str], events: list[str]) -> None:
    """A link to evidence or an event deleted since the page was made: a stale page."""
    known = {x.id for x in dossier.evidence} | {e.id for e in dossier.events}
    if not set(evidence) | set(events) <= known:
        raise EditConflict("an item linked on this page was deleted since it was opened")


# --- evidence -----------------------------------------------------------------------------


def add_evidence(
    user: User,
    case: Case,
    version: int,
    item: Evidence,
    document: Upload,
    translation: Upload | None = None,
) -> Evidence:
    """Check and store the document (and its translation), then add ``item`` for it; its id
    and file ids are replaced. Nothing is left stored if any step fails."""
    if translation is not None and item.translation is None:
        raise DossierError("a translation file needs its translator")  # parsed before: a bug
    checked = [_inspect(u) for u in (document, translation) if u is not None]
    dossier = dossier_of(case)
    _check_links(dossier, [], item.events)
    with _stored(case, checked) as ids:
        update: dict[str, object] = {"id": _new_id(dossier, "x"), "file": ids[0]}
        if item.translation is not None and translation is not None:
            update["translation"] = item.translation.model_copy(update={"file": ids[1]})
        item = item.model_copy(update=update)
        dossier.evidence = [*dossier.evidence, item]
        _link_evidence(dossier, item)
        save_dossier(user, case, dossier, version)
    return item


def change_evidence(
    user: User, case: Case, version: int, item: Evidence, translation: Upload | None = None
) -> Evidence:
    """Replace the details of the evidence of the same id; its document stays. A new
    translation file replaces the old one, which is removed once the change is saved."""
    dossier = dossier_of(case)
    old = dossier.item(item.id)
    if old is None:
        raise Http404
    _check_links(dossier, [], item.events)
    checked = [_inspect(translation)] if translation is not None else []
    with _stored(case, checked) as ids:
        item = item.model_copy(update={"file": old.file})
        if item.translation is not None:
            kept = old.translation.file if old.translation is not None else ""
            file_id = ids[0] if ids else kept
            if not file_id:
                raise DossierError("a translator without a translation file")  # parsed before
            item = item.model_copy(
                update={"translation": item.translation.model_copy(update={"file": file_id})}
            )
        dossier.evidence = [item if x.id == item.id else x for x in dossier.evidence]
        _link_evidence(dossier, item)
        save_dossier(user, case, dossier, version)
    new_file = item.translation.file if item.translation is not None else ""
    if old.translation is not None and old.translation.file != new_file:
        files.delete(case.pk, old.translation.file)
    return item


def delete_evidence(user: User, case: Case, version: int, evidence_id: str) -> None:
    """Remove the evidence, its links from events, and then its files."""
    dossier = dossier_of(case)
    item = dossier.item(evidence_id)
    if item is None:
        raise Http404
    dossier.evidence = [x for x in dossier.evidence if x.id != evidence_id]
    for event in dossier.events:
        if evidence_id in event.evidence:
            event.evidence = [x for x in event.evidence if x != evidence_id]
    save_dossier(user, case, dossier, version)
    # After the save: had it failed, the evidence would still point at its files.
    for file_id in _files_of(item):
        files.delete(case.pk, file_id)
    # A packet built before holds a copy of the document: it goes too (build it again).
    jobs.discard(case, "packet")


def evidence_file(case: Case, evidence_id: str, which: str) -> files.StoredFile:
    """The stored document (``which="document"``) or its translation, opened; Http404 if
    there is none. The caller reached the case with ``Need.EXPORT`` (that access is the
    audit record of the download)."""
    item = dossier_of(case).item(evidence_id)
    if item is None:
        raise Http404
    if which == "document":
        file_id = item.file
    elif which == "translation" and item.translation is not None:
        file_id = item.translation.file
    else:
        raise Http404
    try:
        return files.read(case.pk, file_id, key=case._key())
    except FileNotFoundError as exc:
        raise Http404 from exc


def _files_of(item: Evidence) -> list[str]:
    return [item.file] + ([item.translation.file] if item.translation is not None else [])


def _inspect(upload: Upload) -> Checked:
    limit = settings.REFUGIO_UPLOAD_MAX_BYTES
    if len(upload.data) > limit:  # said here, with numbers gettext can place (not the core's)
        raise UploadRefused(upload, "too big", size=len(upload.data), limit=limit)
    try:
        return inspect(upload.data, upload.name, max_bytes=limit)
    except UploadError as exc:
        raise UploadRefused(upload, str(exc)) from exc


@contextmanager
def _stored(case: Case, checked: list[Checked]) -> Iterator[list[str]]:
    """Store the files for the block; remove them again if the block fails."""
    key = case._key()
    ids: list[str] = []
    # Under the writers' lock from the first file to the save: a key rotation (which takes
    # it too) cannot stage the case's files between them and miss these.
    with one_writer():
        try:
            for c in checked:
                ids.append(files.store(case.pk, c, key=key))
            yield ids
        except BaseException:
            for file_id in ids:
                files.delete(case.pk, file_id)
            raise


# --- the declaration ----------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationSettings:
    """The declaration's language and its interpreter (changed with ``Need.EDIT`` only)."""

    language: str
    language_name: str
    interpreter: Interpreter | None


def save_declaration(
    user: User,
    case: Case,
    version: int,
    texts: list[tuple[str, str]],
    action: str = "save",
    declaration_settings: DeclarationSettings | None = None,
) -> Dossier:
    """Save the paragraphs' texts (``texts[i]`` = native, English of paragraph ``i`` as the page
    showed them), then do ``action``: "save", "add-<section>" or "remove-<i>".

    A paragraph whose text changed is marked ``edited`` (a redraft from the timeline keeps it).
    ``declaration_settings`` None keeps the language and interpreter (an interpreter's page).
    """
    dossier = dossier_of(case)
    if len(texts) != len(dossier.declaration):
        raise EditConflict("the declaration changed since the page was opened")
    for p, (native, english) in zip(dossier.declaration, texts, strict=True):
        if (p.native, p.english) != (native, english):
            p.native, p.english, p.edited = native, english, True
    if declaration_settings is not None:
        dossier.language = declaration_settings.language
        dossier.language_name = declaration_settings.language_name
        dossier.interpreter = declaration_settings.interpreter
    dossier.declaration = _paragraph_action(dossier.declaration, action)
    return save_dossier(user, case, dossier, version)


def _paragraph_action(paragraphs: list[Paragraph], action: str) -> list[Paragraph]:
    verb, _sep, what = action.partition("-")
    if verb == "add" and what in {s.value for s in Section}:
        section = Section(what)
        # After the last paragraph of this section or of one told before it.
        order = list(Section)
        before = [
            i for i, p in enumerate(paragraphs) if order.index(p.section) <= order.index(section)
        ]
        at = before[-1] + 1 if before else 0
        return [*paragraphs[:at], Paragraph(section=section, edited=True), *paragraphs[at:]]
    if verb == "remove" and what.isdigit() and int(what) < len(paragraphs):
        return [p for i, p in enumerate(paragraphs) if i != int(what)]
    if action == "save":
        return paragraphs
    raise Http404
