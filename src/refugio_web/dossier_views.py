"""The dossier's pages (issue 5, points 1, 2 and 4, web side): the timeline, the evidence and
the declaration of a case.

As in ``views``: each view reaches the case through ``cases.case_for`` (404 when not allowed,
audited), parses the form (``dossier_forms``), calls one function of ``dossiers`` and renders;
every change is a POST answered by a redirect, so everything works without JavaScript (Tor
Browser "safest"). A form with errors, or refused because someone else saved first (409), comes
back with what was typed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from refugio.claim.model import APPLICANT, Dossier, Event, Evidence, Section
from refugio_web import cases, dossiers, files
from refugio_web.access import Need, allowed
from refugio_web.accounts import recent_auth_required
from refugio_web.dossier_forms import (
    ACTORS,
    ELEMENTS,
    GROUNDS,
    HARMS,
    KINDS,
    SECTIONS,
    DeclarationForm,
    EventForm,
    EventTranslationForm,
    EvidenceForm,
    declaration_initial,
    event_initial,
    event_label,
    evidence_initial,
    paragraph_texts,
    upload_error,
    when_text,
)
from refugio_web.errors import EditConflict
from refugio_web.inputs import abilities, posted_version, user_of
from refugio_web.models import Case

GET_POST = require_http_methods(["GET", "POST"])


def _render(
    request: HttpRequest, template: str, case: Case, context: dict[str, Any], *, conflict: bool
) -> HttpResponse:
    context = {
        "case": case,
        "version": case.dossier_version,
        "conflict": conflict,
        **abilities(user_of(request)),
        **context,
    }
    return render(
        request, f"refugio_web/dossier/{template}", context, status=409 if conflict else 200
    )


def _labels(values: list[Any], labels: dict[str, Any]) -> list[str]:
    return [str(labels[v]) for v in values]


def _people(names: list[str]) -> list[str]:
    return [_("the applicant") if n == APPLICANT else n for n in names]


# --- the timeline -------------------------------------------------------------------------


def _event_row(event: Event, dossier: Dossier) -> dict[str, Any]:
    items = [dossier.item(x) for x in event.evidence]
    return {
        "event": event,
        "when": when_text(event.when),
        "until": when_text(event.until),
        "kinds": _labels(event.kinds, HARMS),
        "actors": _labels(event.actors, ACTORS),
        "grounds": _labels(event.grounds, GROUNDS),
        "harmed": _people(event.harmed),
        "evidence": [x.title for x in items if x is not None],
    }


@login_required
def timeline(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_for(user_of(request), case_id, "dossier-view")
    dossier = dossiers.dossier_of(case)
    rows = [_event_row(e, dossier) for e in dossier.timeline()]
    return _render(request, "timeline.html", case, {"rows": rows}, conflict=False)


@login_required
@GET_POST
def event_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    case = cases.case_for(user, case_id, "dossier-open", need=Need.EDIT)
    dossier = dossiers.dossier_of(case)
    if request.method == "GET":
        form = EventForm(dossier=dossier, initial={"harmed_applicant": True})
        return _event_page(request, case, form, None, conflict=False)
    form = EventForm(request.POST, dossier=dossier)
    if form.is_valid() and form.event is not None:
        try:
            dossiers.add_event(user, case, posted_version(request), form.event)
        except EditConflict:
            return _event_page(request, case, form, None, conflict=True)
        messages.success(request, _("The event was added to the timeline."))
        return redirect("timeline", case_id=case.pk)
    return _event_page(request, case, form, None, conflict=False)


@login_required
@GET_POST
def event_edit(request: HttpRequest, case_id: uuid.UUID, event_id: str) -> HttpResponse:
    """Every field for those who edit; only the English summary for interpreters."""
    user = user_of(request)
    case = cases.case_for(user, case_id, "dossier-open", need=Need.TRANSLATE)
    dossier = dossiers.dossier_of(case)
    event = dossier.event(event_id)
    if event is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form: EventForm | EventTranslationForm
    if allowed(user, Need.EDIT):
        form = EventForm(data, dossier=dossier, event_id=event.id, initial=event_initial(event))
    else:
        form = EventTranslationForm(data, original=event, initial=event_initial(event))
    if data is not None and form.is_valid() and form.event is not None:
        try:
            dossiers.change_event(user, case, posted_version(request), form.event)
        except EditConflict:
            return _event_page(request, case, form, event, conflict=True)
        messages.success(request, _("The event was saved."))
        return redirect("timeline", case_id=case.pk)
    return _event_page(request, case, form, event, conflict=False)


def _event_page(
    request: HttpRequest,
    case: Case,
    form: EventForm | EventTranslationForm,
    event: Event | None,
    *,
    conflict: bool,
) -> HttpResponse:
    context = {
        "form": form,
        "event": event,
        "original": _event_row(event, dossiers.dossier_of(case)) if event else None,
        "translate_only": isinstance(form, EventTranslationForm),
    }
    return _render(request, "event_form.html", case, context, conflict=conflict)


@login_required
@recent_auth_required  # password and code again before a deletion (decision 18)
@GET_POST
def event_delete(request: HttpRequest, case_id: uuid.UUID, event_id: str) -> HttpResponse:
    user = user_of(request)
    case = cases.case_for(user, case_id, "dossier-open", need=Need.EDIT)
    dossier = dossiers.dossier_of(case)
    event = dossier.event(event_id)
    if event is None:
        raise Http404
    return _confirm_delete(
        request,
        case,
        "event_delete.html",
        _event_row(event, dossier),
        lambda version: dossiers.delete_event(user, case, version, event.id),
        (_("The event was deleted."), "timeline"),
    )


def _confirm_delete(
    request: HttpRequest,
    case: Case,
    template: str,
    row: dict[str, Any],
    delete: Callable[[int], None],
    done: tuple[str, str],
) -> HttpResponse:
    """A deletion's confirmation page (GET) and the deletion itself (POST); a conflict (someone
    saved meanwhile) shows the page again. ``done``: the message and the page to go to."""
    if request.method == "POST":
        try:
            delete(posted_version(request))
        except EditConflict:
            return _render(request, template, case, {"row": row}, conflict=True)
        messages.success(request, done[0])
        return redirect(done[1], case_id=case.pk)
    return _render(request, template, case, {"row": row}, conflict=False)


# --- evidence -----------------------------------------------------------------------------


def _evidence_row(item: Evidence, dossier: Dossier) -> dict[str, Any]:
    events = [dossier.event(e) for e in item.events]
    return {
        "item": item,
        "kind": KINDS[item.kind],
        "date": when_text(item.date),
        "person": _people([item.person])[0],
        "elements": _labels(item.elements, ELEMENTS),
        "events": [event_label(e) for e in events if e is not None],
        "untranslated": item.needs_translation and item.translation is None,
    }


@login_required
def evidence(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_for(user_of(request), case_id, "dossier-view")
    dossier = dossiers.dossier_of(case)
    rows = [_evidence_row(x, dossier) for x in dossier.evidence]
    return _render(request, "evidence.html", case, {"rows": rows}, conflict=False)


@login_required
@GET_POST
def evidence_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    case = cases.case_for(user, case_id, "dossier-open", need=Need.EDIT)
    dossier = dossiers.dossier_of(case)
    if request.method == "GET":
        form = EvidenceForm(dossier=dossier)
        return _evidence_page(request, case, form, None, conflict=False)
    uploaded = request.FILES  # read first: upload_refused tells only after the body is parsed
    form = EvidenceForm(
        request.POST, uploaded, dossier=dossier, refused=files.upload_refused(request)
    )
    if form.is_valid() and form.evidence is not None:
        try:
            dossiers.add_evidence(
                user,
                case,
                posted_version(request),
                form.evidence,
                form.uploads["document"],
                form.uploads.get("translation_file"),
            )
        except dossiers.UploadRefused as exc:
            form.add_error(exc.field, upload_error(exc))
        except EditConflict:
            return _evidence_page(request, case, form, None, conflict=True)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect("evidence", case_id=case.pk)
    return _evidence_page(request, case, form, None, conflict=False)


@login_required
@GET_POST
def evidence_edit(request: HttpRequest, case_id: uuid.UUID, evidence_id: str) -> HttpResponse:
    user = user_of(request)
    case = cases.case_for(user, case_id, "dossier-open", need=Need.EDIT)
    dossier = dossiers.dossier_of(case)
    item = dossier.item(evidence_id)
    if item is None:
        raise Http404
    if request.method == "GET":
        form = EvidenceForm(dossier=dossier, original=item, initial=evidence_initial(item))
        return _evidence_page(request, case, form, item, conflict=False)
    uploaded = request.FILES
    refused = files.upload_refused(request)
    form = EvidenceForm(request.POST, uploaded, dossier=dossier, original=item, refused=refused)
    if form.is_valid() and form.evidence is not None:
        translation = form.uploads.get("translation_file")
        try:
            dossiers.change_evidence(
                user, case, posted_version(request), form.evidence, translation
            )
        except dossiers.UploadRefused as exc:
            form.add_error(exc.field, upload_error(exc))
        except EditConflict:
            return _evidence_page(request, case, form, item, conflict=True)
        else:
            messages.success(request, _("The document's details were saved."))
            return redirect("evidence", case_id=case.pk)
    return _evidence_page(request, case, form, item, conflict=False)


def _evidence_page(
    request: HttpRequest, case: Case, form: EvidenceForm, item: Evidence | None, *, conflict: bool
) -> HttpResponse:
    limit = settings.REFUGIO_UPLOAD_MAX_BYTES // (1024 * 1024)
    context = {"form": form, "item": item, "chosen": bool(form.uploads), "limit": limit}
    return _render(request, "evidence_form.html", case, context, conflict=conflict)


@login_required
@recent_auth_required  # password and code again before a deletion (decision 18)
@GET_POST
def evidence_delete(request: HttpRequest, case_id: uuid.UUID, evidence_id: str) -> HttpResponse:
    user = user_of(request)
    case = cases.case_for(user, case_id, "dossier-open", need=Need.EDIT)
    dossier = dossiers.dossier_of(case)
    item = dossier.item(evidence_id)
    if item is None:
        raise Http404
    return _confirm_delete(
        request,
        case,
        "evidence_delete.html",
        _evidence_row(item, dossier),
        lambda version: dossiers.delete_evidence(user, case, version, item.id),
        (_("The document was deleted."), "evidence"),
    )


@login_required
@recent_auth_required  # a document leaves the app: password and code again, as the I-589
def evidence_download(
    request: HttpRequest, case_id: uuid.UUID, evidence_id: str, which: str
) -> HttpResponse:
    user = user_of(request)
    case = cases.case_for(user, case_id, None, need=Need.EXPORT)
    try:
        stored = dossiers.evidence_file(case, evidence_id, which)
    except Http404:
        cases.record(user, "evidence-missing", case)  # the access, though nothing left
        raise
    # Recorded once the file is there, naming it by ids the code made (never a title).
    cases.record(user, "evidence-download", case, evidence=evidence_id, which=which)
    return files.attachment(stored.data, stored.kind)


# --- the declaration ----------------------------------------------------------------------


def _sections(dossier: Dossier, texts: list[tuple[str, str]] | None) -> list[dict[str, Any]]:
    """The paragraphs grouped by section, in the order the declaration is told; ``texts`` as
    typed (a page that comes back) instead of the stored ones."""
    out = []
    for section in Section:
        rows = []
        for i, p in enumerate(dossier.declaration):
            if p.section != section:
                continue
            native, english = texts[i] if texts else (p.native, p.english)
            event = dossier.event(p.event) if p.event else None
            label = event_label(event) if event else ""
            rows.append({"index": i, "native": native, "english": english, "event": label})
        out.append({"section": section.value, "title": SECTIONS[section], "rows": rows})
    return out


@login_required
@GET_POST
def declaration(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Both languages side by side; interpreters change the texts only (issue 5, point 5)."""
    user = user_of(request)
    case = cases.case_for(user, case_id, "dossier-open", need=Need.TRANSLATE)
    dossier = dossiers.dossier_of(case)
    editor = allowed(user, Need.EDIT)
    if request.method == "GET":
        form = DeclarationForm(initial=declaration_initial(dossier)) if editor else None
        return _declaration_page(request, case, dossier, form, None, conflict=False)
    count = _count(request)
    texts = paragraph_texts(request.POST, count)
    form = DeclarationForm(request.POST) if editor else None
    chosen = form.settings() if form is not None else None  # language and interpreter
    if form is None or chosen is not None:
        try:
            action = request.POST.get("action", "save")
            dossiers.save_declaration(user, case, posted_version(request), texts, action, chosen)
        except EditConflict:
            return _declaration_page(request, case, dossier, form, texts, conflict=True)
        messages.success(request, _("The declaration was saved."))
        return redirect("declaration", case_id=case.pk)
    return _declaration_page(request, case, dossier, form, texts, conflict=False)


def _count(request: HttpRequest) -> int:
    try:
        return max(0, min(int(request.POST.get("count", "0")), 10_000))
    except ValueError:
        return 0


def _declaration_page(
    request: HttpRequest,
    case: Case,
    dossier: Dossier,
    form: DeclarationForm | None,
    texts: list[tuple[str, str]] | None,
    *,
    conflict: bool,
) -> HttpResponse:
    """``texts`` as typed: in their boxes if they still fit the paragraphs, else listed in the
    warning, so nothing typed is lost."""
    fits = texts is not None and len(texts) == len(dossier.declaration)
    context = {
        "dossier": dossier,
        "sections": _sections(dossier, texts if fits else None),
        "unsaved": [] if fits or texts is None else [t for pair in texts for t in pair if t],
        "form": form,
        "count": len(dossier.declaration),
        "sections_choice": [(s.value, SECTIONS[s]) for s in Section],
    }
    return _render(request, "declaration.html", case, context, conflict=conflict)
