"""Views: parse the request, call one function of ``cases`` or the core, render.

Every case is reached through ``cases.case_for`` (404 when not allowed, audited). Every change
is a POST answered by a redirect (POST-redirect-GET), so the whole interview works without
JavaScript; ``static/refugio/interview.js`` only adds autosave and hides questions that do not
apply.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from base64 import b64decode, b64encode
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from refugio.check import Finding, check
from refugio.editions import DEFAULT_EDITION, EDITIONS
from refugio.errors import CryptoError
from refugio.interview import (
    Built,
    apply_action,
    build,
    format_errors,
    progress,
    read_form,
    step_by_slug,
    visible_steps,
)
from refugio.paths import item_for
from refugio_web import cases, claims, present, vault
from refugio_web.access import CREATES_CASES, Need
from refugio_web.accounts import disable_account, recent_auth_required
from refugio_web.errors import EditConflict, OutputError
from refugio_web.forms import CaseForm, MemberForm, TemporaryPasswordForm
from refugio_web.inputs import abilities, user_of
from refugio_web.models import Case
from refugio_web.people import (
    create_person,
    people_of,
    person_for,
    reset_second_factor,
    set_temporary_password,
)

LIST_ACTIONS = ("add", "remove-", "up-", "down-")


def _today() -> dt.date:
    return timezone.localdate()


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    cases.record(user, "list")
    rows = cases.cases_for(user).only(
        "id", "data_key", "reference_sealed", "updated_at", "percent_done"
    )
    context = {"cases": rows, "can_create": user.role in CREATES_CASES}
    return render(request, "refugio_web/case_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    if user_of(request).role not in CREATES_CASES:
        raise Http404
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = cases.create_case(user_of(request), form.cleaned_data["reference"])
        return redirect("step", case_id=case.pk, slug="start")
    return render(request, "refugio_web/case_new.html", {"form": form})


@login_required
def case_home(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_for(user_of(request), case_id)
    per_part, overall = progress(case.draft)
    steps = visible_steps(case.draft)
    last = case.draft.get("meta", {}).get("last_step") or steps[0].slug
    context = {
        "case": case,
        "overall": overall,
        "parts": present.progress_rows(per_part),
        "resume": last,
        "nav": present.navigation(case.draft, steps, ""),
        "conflicts": claims.conflict_count(case),
        **abilities(user_of(request)),
    }
    return render(request, "refugio_web/case_home.html", context)


def _neighbour(draft: dict[str, Any], slug: str, delta: int) -> str | None:
    slugs = [s.slug for s in visible_steps(draft)]
    if slug not in slugs:
        return slugs[0] if slugs else None
    i = slugs.index(slug) + delta
    return slugs[i] if 0 <= i < len(slugs) else None


def _destination(draft: dict[str, Any], slug: str, action: str, has_errors: bool) -> str | None:
    """Where a saved screen leads: the slug of a screen, or None for the review page."""
    if action.startswith(LIST_ACTIONS) or action in ("save", "language", "autosave"):
        return slug
    if action.startswith("goto-") and step_by_slug(action[5:]):
        return action[5:]
    if action == "review":
        return None
    if has_errors and action != "back":  # saved; the user sees what cannot be read yet
        return slug
    return _neighbour(draft, slug, -1 if action == "back" else 1)


# A screen submitted after the session ended (idle timeout, a restart of the browser) is kept in
# the new session and shown again after login, as typed: nothing a user typed is lost.
_STASH = "refugio-unsaved"


def _stash_and_login(request: HttpRequest) -> HttpResponse:
    # Bounded: a visitor who is not logged in must not fill the session table (256 KB is
    # more than the longest screen of answers).
    small = int(request.META.get("CONTENT_LENGTH") or 0) <= 256 * 1024
    if request.method == "POST" and request.POST.get("action") != "autosave" and small:
        # Sealed: the session table must not hold answers in clear (issue 4, point 1).
        data = json.dumps(dict(request.POST.lists())).encode()
        sealed = vault.seal_aside("login stash", request.path, data)
        request.session[_STASH] = {"path": request.path, "sealed": b64encode(sealed).decode()}
    if request.POST.get("action") == "autosave":
        return JsonResponse({"login": True}, status=401)
    return redirect_to_login(request.path)


def _unstash(request: HttpRequest) -> dict[str, str] | None:
    stash = request.session.get(_STASH)
    if not stash or stash.get("path") != request.path:
        return None
    del request.session[_STASH]
    try:
        sealed = b64decode(stash.get("sealed", ""))
        data = json.loads(vault.open_aside("login stash", request.path, sealed))
    except (CryptoError, ValueError):
        return None  # sealed under a master key rotated away since (or altered): not shown
    return {k: v[-1] for k, v in data.items() if k != "csrfmiddlewaretoken"}


@login_not_required  # answers a lapsed session itself: the typed answers are kept
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, case_id: uuid.UUID, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _stash_and_login(request)
    user = user_of(request)
    step_ = step_by_slug(slug)
    if step_ is None:
        raise Http404
    # A save records its access with the edit, in one transaction (save_draft, opened=...).
    # Interpreters read on the review page: a screen is a form, and nothing typed may be lost.
    opened = "view" if request.method == "GET" else None
    case = cases.case_for(user, case_id, opened, need=Need.EDIT)
    draft = case.draft
    conflict = False
    unsaved = _unstash(request) if request.method == "GET" else None
    if unsaved is not None:
        draft = read_form(step_, draft, unsaved)
        return _render_step(request, case, step_, draft, "logged-out")
    if request.method == "POST":
        action = request.POST.get("action", "next")
        new = read_form(step_, draft, request.POST)
        if action.startswith(LIST_ACTIONS):
            new = apply_action(step_, new, action)
        has_errors = bool(format_errors(step_, new))
        target = _destination(new, slug, action, has_errors)
        # "Continue where you left off" opens the screen the user was sent to, not the last saved.
        new["meta"]["last_step"] = target or slug
        try:
            version = int(request.POST.get("version", "0"))
            page = request.POST.get("page", "")[:32]
            case = cases.save_draft(user, case, new, version, opened="edit-open", page=page)
        except (EditConflict, ValueError) as exc:
            if isinstance(exc, ValueError):  # save_draft records it otherwise
                cases.record(user, "edit-open", case)
            conflict, draft = True, new  # shown again as typed, not saved: nothing is lost
        else:
            if action == "autosave":
                return JsonResponse({"version": case.version, "errors": has_errors})
            if action == "language":
                return _switch_language(request, redirect(request.path))
            if target is None:
                return redirect("review", case_id=case.pk)
            return redirect("step", case_id=case.pk, slug=target)
        if action == "autosave":
            return JsonResponse({"conflict": True}, status=409)
    return _render_step(request, case, step_, draft, "conflict" if conflict else "")


def _switch_language(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The header's language choice, pressed on a screen: the screen is saved first, so
    switching language never loses what was typed (the plain /language/ form would)."""
    code = request.POST.get("language", "")
    if check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Strict",
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def _render_step(
    request: HttpRequest, case: Case, step_: Any, draft: dict[str, Any], notice: str
) -> HttpResponse:
    """A screen; ``notice`` is "conflict" or "logged-out" when ``draft`` holds unsaved answers."""
    visited = step_.slug in draft.get("meta", {}).get("visited", [])
    errors = format_errors(step_, draft) if visited or notice else {}
    findings: list[Any] = []
    if visited:
        built = build(draft)
        if built.app is not None:
            findings = present.step_findings(step_, draft, _findings(built))
    steps = visible_steps(draft)
    per_part, overall = progress(draft)
    context = {
        "case": case,
        "step": step_,
        "title": _(step_.title),
        "intro": _(step_.intro) if step_.intro else "",
        "part": present.part_title(step_.part),
        "blocks": present.screen(step_, draft, errors, findings),
        "toggle": step_.toggle,
        "toggle_label": present.sentence(step_.toggle.label) if step_.toggle else "",
        "toggle_item": present.item_text(step_.toggle.item) if step_.toggle else "",
        "toggle_value": draft.get("meta", {}).get(step_.toggle.key, "") if step_.toggle else "",
        "errors": [
            (present.dom_id(p), text) for p, text in present.error_list(step_, draft, errors)
        ],
        "check_errors": [present.finding_text(f) for f in findings if f.severity == "error"],
        "check_warnings": sum(f.severity == "warning" for f in findings),
        "notice": notice,
        "nav": present.navigation(draft, steps, step_.slug),
        "overall": overall,
        "parts": present.progress_rows(per_part),
        "previous": _neighbour(draft, step_.slug, -1),
        "version": case.version,
        "page": secrets.token_urlsafe(16),  # this rendering's token (cases.save_draft)
        "language_form": "step-form",  # the header's language button saves this screen first
    }
    status = 409 if notice == "conflict" else 200
    return render(request, "refugio_web/step.html", context, status=status)


@login_required
def review(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_for(user_of(request), case_id)
    built = build(case.draft)
    findings = _findings(built)
    sections = present.review_sections(case.draft, built.errors, findings)
    _per_part, overall = progress(case.draft)
    context = {
        "case": case,
        "sections": sections,
        "errors": [present.finding_text(f) for f in findings if f.severity == "error"],
        "warnings": [present.finding_text(f) for f in findings if f.severity == "warning"],
        "unreadable": len(built.errors),
        "editions": list(EDITIONS),
        "default_edition": DEFAULT_EDITION,
        "overall": overall,
        **abilities(user_of(request)),
    }
    return render(request, "refugio_web/review.html", context)


def _na(request: HttpRequest) -> bool:
    # On unless the form says otherwise: the instructions want no answer left blank.
    return request.GET.get("na", "on") == "on"


def _findings(built: Built) -> list[Finding]:
    """The check of the built application, each finding at its answer's place in the draft
    (blank list entries are left out of the application, so positions can differ)."""
    if built.app is None:
        return []
    found = []
    for f in check(built.app, today=_today()):
        path = built.draft_path(f.path)
        found.append(f if path == f.path else replace(f, path=path, item=item_for(path)))
    return found


def _edition(request: HttpRequest) -> str:
    edition = request.GET.get("edition", DEFAULT_EDITION)
    if edition not in EDITIONS:
        raise Http404
    return edition


@login_required
@recent_auth_required  # password and code again before an export (issue 4, point 3)
def download(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_for(user_of(request), case_id, "download", need=Need.EXPORT)
    try:
        pdf, _app = cases.filled_form(case, _edition(request), _today(), na=_na(request))
    except OutputError as exc:
        messages.error(request, _("The form could not be filled: %(why)s") % {"why": _(str(exc))})
        return redirect("review", case_id=case.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    # No name in the file name: a downloads folder must not say who applied (8 CFR 208.6).
    response["Content-Disposition"] = 'attachment; filename="I-589-filled.pdf"'
    return response


@login_required
@recent_auth_required  # the filled form, page by page, is an export too
def preview(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_for(user_of(request), case_id, "preview", need=Need.EXPORT)
    edition = _edition(request)
    try:
        pdf, _app = cases.filled_form(case, edition, _today(), na=_na(request))
    except OutputError as exc:
        messages.error(request, _("The form could not be filled: %(why)s") % {"why": _(str(exc))})
        return redirect("review", case_id=case.pk)
    pages = range(1, cases.page_count(pdf) + 1)
    na = "on" if _na(request) else "off"
    context = {"case": case, "pages": pages, "edition": edition, "na": na}
    return render(request, "refugio_web/preview.html", context)


@login_required
@recent_auth_required
def preview_page(request: HttpRequest, case_id: uuid.UUID, page: int) -> HttpResponse:
    case = cases.case_for(user_of(request), case_id, "preview", need=Need.EXPORT)
    try:
        pdf, _app = cases.filled_form(case, _edition(request), _today(), na=_na(request))
        if not 1 <= page <= cases.page_count(pdf):
            raise Http404
        png = cases.page_preview(pdf, page)
    except OutputError as exc:
        raise Http404 from exc
    return HttpResponse(png, content_type="image/png")


def _people_page(
    request: HttpRequest,
    form: MemberForm | None = None,
    password_form: TemporaryPasswordForm | None = None,
) -> HttpResponse:
    """The people page; ``password_form``: a temporary password refused, shown with its error
    under its person."""
    context = {
        "form": form or MemberForm(),
        "members": people_of(user_of(request)),  # 404 for anyone but an admin of the organisation
        "password_form": password_form,
        "password_for": password_form.person.pk if password_form else None,
    }
    return render(request, "refugio_web/people.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    people_of(user)  # 404 for anyone but an admin of the organisation
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        create_person(user, form.save(commit=False), form.cleaned_data["password"])
        messages.success(request, _("The account was created."))
        return redirect("people")
    return _people_page(request, form)


# The actions on a colleague's account below take the password and a code again (they change
# how that person logs in, or end their access; issue 4, point 3) and are POSTs with the CSRF
# token. A GET — the way back from the re-authentication page — returns to the people page,
# where the admin presses the button again. Never one's own account (404, as outside the
# organisation): an admin cannot skip their own second factor this way.


@login_required
@recent_auth_required
@require_http_methods(["GET", "POST"])
def person_disable(request: HttpRequest, person_id: int) -> HttpResponse:
    """An organisation admin disables an account of the organisation: every session of it
    ends at once and it can no longer log in (issue 4, point 3). Not oneself."""
    action = "disable-account" if request.method == "POST" else None
    person = person_for(user_of(request), person_id, action)
    if request.method == "POST":
        disable_account(person)
        messages.success(request, _("The account was disabled."))
    return redirect("people")


@login_required
@recent_auth_required
@require_http_methods(["GET", "POST"])
def person_reset_factor(request: HttpRequest, person_id: int) -> HttpResponse:
    """A colleague lost their phone: their authenticator is forgotten and their sessions end;
    at the next login, after the password, they set up the app again."""
    admin = user_of(request)
    person = person_for(admin, person_id, None)  # recorded with the reset
    if request.method == "POST":
        reset_second_factor(admin, person)
        messages.success(
            request,
            _(
                "The second factor was reset and the password no longer works. Give the person "
                "a temporary password by a safe channel; they set up their app at their next "
                "login."
            ),
        )
    return redirect("people")


@login_required
@sensitive_post_parameters("password")
@recent_auth_required
@require_http_methods(["GET", "POST"])
def person_password(request: HttpRequest, person_id: int) -> HttpResponse:
    """A colleague forgot their password: the admin types a temporary one (the validators
    apply), every session of the person ends, and they must change it at the next login."""
    admin = user_of(request)
    person = person_for(admin, person_id, None)  # recorded with the change, if made
    if request.method == "GET":
        return redirect("people")
    form = TemporaryPasswordForm(person, request.POST)
    if not form.is_valid():
        return _people_page(request, password_form=form)
    set_temporary_password(admin, person, form.cleaned_data["password"])
    messages.success(
        request,
        _("The temporary password was set. The person must change it at the next login."),
    )
    return redirect("people")


@login_required
@recent_auth_required  # password and code again before a deletion (issue 4, point 3)
@require_http_methods(["GET", "POST"])
def case_delete(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Delete a case for good (organisation admins): its answers and its key (issue 4, point 1).

    A confirmation page first; POST only deletes. Not found for anyone else, as for any case
    they cannot reach.
    """
    user = user_of(request)
    case = cases.case_for(user, case_id, "delete-open", need=Need.DELETE)
    if request.method == "POST":
        cases.delete_case(user, case)
        messages.success(request, _("The case was deleted."))
        return redirect("case_list")
    return render(request, "refugio_web/case_delete.html", {"case": case})


@login_required
@require_http_methods(["GET", "POST"])
def case_people(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Who works on the case: an admin assigns people of the organisation (issue 4, point 2)."""
    user = user_of(request)
    case = cases.case_for(user, case_id, "people-open", need=Need.ASSIGN)
    if request.method == "POST":
        action, _sep, member = request.POST.get("action", "").partition("-")
        if action not in ("add", "remove") or not member.isdigit():
            raise Http404
        cases.assign(user, case, int(member), on=action == "add")
        return redirect("case_people", case_id=case.pk)
    assigned, others = cases.members(user, case)
    context = {"case": case, "assigned": assigned, "others": others}
    return render(request, "refugio_web/case_people.html", context)
