"""Login (password and code), enrolment of the authenticator, re-authentication, password
change and logout (issue 4, point 3). Each view parses the form and calls ``accounts``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from refugio_web import accounts
from refugio_web.forms import NewPasswordForm
from refugio_web.inputs import user_of


class CodeForm(forms.Form):
    code = forms.CharField(max_length=12, required=False)


class LoginForm(CodeForm):
    username = forms.CharField(max_length=150)
    password = forms.CharField(strip=False, max_length=4096)


class ReauthForm(CodeForm):
    password = forms.CharField(strip=False, max_length=4096)


def _next(request: HttpRequest) -> str:
    """Where to go after logging in: a page of this site only (no open redirect)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


@login_not_required
@sensitive_post_parameters("password", "code")
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    failed = False
    if request.method == "POST":
        failed = True  # one message for every failure, whatever failed (no enumeration)
        if form.is_valid():
            result = accounts.check_credentials(request, **form.cleaned_data)
            ok = result.outcome is accounts.Outcome.OK
            if ok and result.user is not None and result.device is not None:
                accounts.start_session(request, result.user, result.device)
                return redirect(_next(request))
            if result.outcome is accounts.Outcome.ENROL and result.user is not None:
                accounts.begin_enrolment(request, result.user, _next(request))
                return redirect("enrol")
    username = request.POST.get("username", "")[:150]
    context = {"next": _next(request), "failed": failed, "username": username}
    return render(request, "refugio_web/login.html", context)


@login_not_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    pending = accounts.pending_enrolment(request)
    if pending is None:
        return redirect("login")
    user, next_url = pending
    failed = False
    if request.method == "POST":
        form = CodeForm(request.POST)
        code = form.cleaned_data["code"] if form.is_valid() else ""
        if accounts.finish_enrolment(request, user, code):
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        failed = True
    device = accounts.enrolment_device(user)
    context = {
        "failed": failed,
        "secret": accounts.base32_secret(device),
        "uri": device.config_url,
    }
    return render(request, "refugio_web/enrol.html", context)


@sensitive_post_parameters("password", "code")
@require_http_methods(["GET", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    failed = False
    if request.method == "POST":
        form = ReauthForm(request.POST)
        data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
        if data and accounts.reauthenticate(request, data["password"], data["code"]):
            return redirect(_next(request))
        failed = True
    return render(request, "refugio_web/reauth.html", {"failed": failed, "next": _next(request)})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = NewPasswordForm(user, request.POST or None)
    locked = request.method == "POST" and not accounts.password_attempt(user)
    if locked:
        form = NewPasswordForm(user)  # unbound: the old password is not even checked
    elif request.method == "POST" and form.is_valid():
        accounts.password_attempt_succeeded(user)
        accounts.password_changed(request, form.save())
        messages.success(request, _("Your password was changed. Your other sessions have ended."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "locked": locked}
    return render(request, "refugio_web/password_change.html", context)


@login_not_required
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    accounts.log_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
