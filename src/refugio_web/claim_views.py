"""The declaration's tools, Part B from the timeline and the consistency page (issue 5, points
1, 2 and 3, web side).

As everywhere: each view reaches the case through ``cases.case_for`` (404 when not allowed,
audited), parses the request, calls one function of ``claims`` and renders; every change is a
POST answered by a redirect, so all of it works without JavaScript.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_stubs_ext import StrOrPromise

from refugio.claim.consistency import Conflict
from refugio.paths import item_for, label_for
from refugio_web import cases, claims, present
from refugio_web.access import Need, allowed
from refugio_web.accounts import recent_auth_required
from refugio_web.errors import EditConflict, OutputError
from refugio_web.inputs import abilities, posted_version, user_of
from refugio_web.models import Case

GET_POST = require_http_methods(["GET", "POST"])
POST = require_http_methods(["POST"])


# --- the declaration's tools ----------------------------------------------------------------

# What an interpreter's certificate needs (refugio.claim.declaration), in the user's language.
_CERTIFICATE = {
    "name": gettext_lazy("the interpreter's name"),
    "address": gettext_lazy("address"),
    "telephone": gettext_lazy("telephone"),
    "language": gettext_lazy("language"),
}


@login_required
@POST
def declaration_draft(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Draft the declaration from the timeline and the answers; paragraphs a person changed
    are kept as they are (``refugio.claim.declaration.redraft``)."""
    user = user_of(request)
    case = cases.case_for(user, case_id, "dossier-open", need=Need.EDIT)
    try:
        orphans = claims.draft_declaration(
            user, case, posted_version(request), timezone.localdate()
        )
    except EditConflict:
        messages.error(
            request,
            _(
                "Not drafted: someone else changed this dossier after you opened the page. "
                "Look at the declaration again, then draft again."
            ),
        )
    except OutputError as exc:
        why = _(str(exc))
        messages.error(request, _("The declaration could not be drafted: %(why)s") % {"why": why})
    else:
        messages.success(
            request,
            _(
                "The declaration was drafted from the timeline and the answers. Paragraphs "
                "someone changed were kept as they were."
            ),
        )
        for n, event in orphans:
            messages.warning(
                request,
                _(
                    "Paragraph %(n)s tells event %(event)s, which is no longer on the timeline. "
                    "It was kept because someone changed it: delete it if it no longer belongs."
                )
                % {"n": n, "event": event},
            )
    return redirect("declaration", case_id=case.pk)


@login_required
@recent_auth_required  # the declaration leaves the app: password and code again, as the I-589
def declaration_download(request: HttpRequest, case_id: uuid.UUID, fmt: str) -> HttpResponse:
    user = user_of(request)
    case = cases.case_for(user, case_id, None, need=Need.EXPORT)  # recorded with its format
    try:
        export = claims.declaration_file(user, case, fmt)
    except claims.InterpreterMissing as exc:
        missing = ", ".join(str(_CERTIFICATE[m]) for m in exc.missing)
        messages.error(
            request,
            _(
                "The declaration needs an interpreter's certificate (the applicant is not "
                "fluent in English, or the declaration is in another language), and it lacks: "
                "%(missing)s. Fill them in under “Language and interpreter”, save, then "
                "download again."
            )
            % {"missing": missing},
        )
        return redirect("declaration", case_id=case.pk)
    except OutputError as exc:
        why = _(str(exc))
        messages.error(request, _("The declaration could not be made: %(why)s") % {"why": why})
        return redirect("declaration", case_id=case.pk)
    response = HttpResponse(export.data, content_type=export.mime)
    # No name in the file name: a downloads folder must not say who applied (8 CFR 208.6).
    response["Content-Disposition"] = f'attachment; filename="{export.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Part B from the timeline ---------------------------------------------------------------


def _answer_text(raw: str) -> str:
    return {"yes": _("Yes"), "no": _("No")}.get(raw.strip().lower(), _("not answered yet"))


@login_required
@GET_POST
def part_b(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The Part B explanations the timeline drafts, beside the answers: each is taken only if
    its box is ticked (issue 5, point 1: "never overwrite silently")."""
    user = user_of(request)
    opened = "part-b-view" if request.method == "GET" else None  # a save records it itself
    case = cases.case_for(user, case_id, opened, need=Need.EDIT)
    if request.method == "GET":
        return _part_b_page(request, case, None, conflict=False)
    ticked = request.POST.getlist("take")
    taken = {path: request.POST.get(f"digest-{path}", "") for path in ticked}
    try:
        count = claims.take_part_b(user, case, posted_version(request), taken)
    except EditConflict:
        # Shown again with the answers as they are now, and the boxes as they were ticked.
        case = cases.case_for(user, case_id, None, need=Need.EDIT)
        return _part_b_page(request, case, set(ticked), conflict=True)
    except OutputError as exc:
        why = _(str(exc))
        messages.error(request, _("Nothing was taken: %(why)s") % {"why": why})
        return redirect("part_b", case_id=case.pk)
    if count:
        messages.success(request, _("The ticked texts were put into the answers of Part B."))
    else:
        messages.success(request, _("Nothing was ticked: the answers were not changed."))
    return redirect("part_b", case_id=case.pk)


def _part_b_page(
    request: HttpRequest, case: Case, ticked: set[str] | None, *, conflict: bool
) -> HttpResponse:
    try:
        proposals, unreadable = claims.part_b_proposals(case), False
    except OutputError:
        proposals, unreadable = [], True
    rows = [
        {
            "p": p,
            "n": n,
            # The question's own words and item, from the model (translated already).
            "item": present.item_text(item_for(p.question)),
            "question": present.sentence(label_for(p.question)),
            "answer": _answer_text(p.answer),
            "yes": p.answer.strip().lower() == "yes",
            "ticked": p.ticked if ticked is None else p.path in ticked,
        }
        for n, p in enumerate(proposals)
    ]
    context = {
        "case": case,
        "rows": rows,
        "unreadable": unreadable,
        "version": case.version,
        "conflict": conflict,
        **abilities(user_of(request)),
    }
    status = 409 if conflict else 200
    return render(request, "refugio_web/dossier/part_b.html", context, status=status)


# --- consistency ----------------------------------------------------------------------------

_CATEGORIES: dict[str, StrOrPromise] = {
    "date": gettext_lazy("Dates"),
    "place": gettext_lazy("Places"),
    "person": gettext_lazy("People"),
    "count": gettext_lazy("Counts"),
}


def _link(case: Case, source: str, can_edit: bool) -> dict[str, str] | None:
    found = claims.source_link(source)
    if found is None:
        return None
    page, anchor = found
    if page == "step":  # the screen for those who change answers, the review for the others
        url = (
            reverse("step", args=[case.pk, anchor])
            if can_edit
            else reverse("review", args=[case.pk]) + f"#r-{anchor}"
        )
    else:
        url = reverse(page, args=[case.pk]) + (f"#{anchor}" if anchor else "")
    return {"url": url, "text": source}


def _conflict_row(case: Case, conflict: Conflict, can_edit: bool) -> dict[str, Any]:
    text = _("%(what)s: %(value)s in %(source)s, %(other_value)s in %(other_source)s") % {
        "what": conflict.what,
        "value": conflict.value,
        "source": conflict.source,
        "other_value": conflict.other_value,
        "other_source": conflict.other_source,
    }
    if conflict.note:
        text = _("%(conflict)s (%(note)s)") % {"conflict": text, "note": conflict.note}
    links = [_link(case, s, can_edit) for s in (conflict.source, conflict.other_source)]
    return {"text": text, "links": [link for link in links if link is not None]}


@login_required
def consistency(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Where the answers, the timeline, the declaration and the evidence tell one fact
    differently (issue 5, point 3), by kind of fact."""
    user = user_of(request)
    case = cases.case_for(user, case_id, "consistency-view")
    result = claims.consistency_of(case)
    can_edit = allowed(user, Need.EDIT)
    groups = []
    for category in claims.CATEGORIES:
        found = [c for c in result.conflicts if c.category == category]
        if found:
            rows = [_conflict_row(case, c, can_edit) for c in found]
            groups.append({"id": category, "title": _CATEGORIES[category], "rows": rows})
    context = {
        "case": case,
        "groups": groups,
        "count": len(result.conflicts),
        "unreadable": result.unreadable,
        "without_form": result.without_form,
        **abilities(user),
    }
    return render(request, "refugio_web/dossier/consistency.html", context)
