"""The web surface (issue 4, point 5): headers, cookies, the deploy check on production settings,
generic error pages, logs without case data, and the suite's own network guard.

The test settings are the production settings (REFUGIO_DEBUG unset) except for the redirect to
https, since the test client speaks plain http; the production and demo settings themselves are
read in a subprocess with their own environment. The Content-Security-Policy is proven
sufficient in a real browser by tests/web/test_browser.py (no violation on any page).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.cookies import Morsel
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.views.defaults import permission_denied

from refugio.crypto import new_key_text
from refugio.editions import DEFAULT_EDITION, get_edition
from refugio_web import cases
from refugio_web.models import Case, User
from tests.conftest import NetworkGuard, blank_path
from tests.web.conftest import log_in, logged_in

ROOT = Path(__file__).resolve().parents[2]
# Typed as an answer; fictional. It must never reach a page or a log it was not saved for.
CANARY = "Quillon-Vextra-4417"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
POLICY = {
    "default-src": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front of gunicorn adds


def policy(header: str) -> dict[str, list[str]]:
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


# --- headers ----------------------------------------------------------------------------------


def test_it_sends_the_security_headers_on_every_kind_of_response(
    alice: User, charlie: User, case: Case
) -> None:
    anonymous = Client()
    responses = {
        "login page": anonymous.get("/login/"),
        "redirect to login": anonymous.get(f"/cases/{case.pk}/"),
        "case page": logged_in(alice).get(f"/cases/{case.pk}/"),
        "not found": logged_in(charlie).get(f"/cases/{case.pk}/"),
    }
    static = anonymous.get("/static/refugio/interview.js")
    static.close()
    responses["static file"] = static
    for name, r in responses.items():
        for header, value in HEADERS.items():
            # A static file is framed by nobody either: frame-ancestors 'none' (its CSP).
            if not (name == "static file" and header == "X-Frame-Options"):
                assert r[header] == value, (name, header)
        assert policy(r["Content-Security-Policy"]) == POLICY, name
        assert "unsafe" not in r["Content-Security-Policy"], name


def test_it_sends_hsts_for_a_year_on_https_as_the_proxy_reports_it(db: None) -> None:
    client = Client()
    secure = client.get("/login/", headers=HTTPS)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # Over plain http a browser would ignore it anyway (RFC 6797, 8.1); Django leaves it out.
    assert "Strict-Transport-Security" not in client.get("/login/")


@override_settings(SECURE_SSL_REDIRECT=True)  # production's value (the test settings' is off)
def test_it_redirects_plain_http_to_https_unless_the_proxy_says_https(db: None) -> None:
    client = Client()
    plain = client.get("/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/login/"
    assert client.get("/login/", headers=HTTPS).status_code == 200


def _no_store(r: object) -> bool:
    return getattr(r, "headers", {}).get("Cache-Control") == "no-store"


def test_it_marks_login_case_pages_downloads_previews_and_errors_no_store(
    alice: User, bob: User, charlie: User, case_b: Case
) -> None:
    blank_path(get_edition(DEFAULT_EDITION))
    client = logged_in(alice)
    base = f"/cases/{case_b.pk}"
    download = client.get(f"{base}/i-589.pdf")
    assert download["Content-Type"] == "application/pdf"
    preview = client.get(f"{base}/preview/1.png")
    assert preview["Content-Type"] == "image/png"
    responses = {
        "login": Client().get("/login/"),
        "case list": client.get("/"),
        "case home": client.get(f"{base}/"),
        "step": client.get(f"{base}/step/identity/"),
        "review": client.get(f"{base}/review/"),
        "preview": client.get(f"{base}/preview/"),
        "download": download,
        "page preview": preview,
        "404": logged_in(charlie).get(f"{base}/"),
        # A form without its CSRF token: the one 403 left (the rest is 404, issue 4).
        "403": Client(enforce_csrf_checks=True).post("/language/", {"language": "es"}),
        "400": Client().get("/login/", HTTP_HOST="elsewhere.example"),
    }
    for name, r in responses.items():
        assert r.status_code == {"404": 404, "403": 403, "400": 400}.get(name, 200), name
        assert _no_store(r), name
    # Only the static files (USWDS, our CSS and script) may be cached: they say nothing.
    static = Client().get("/static/refugio/app.css")
    static.close()
    assert static.status_code == 200 and not _no_store(static)


# --- cookies ----------------------------------------------------------------------------------


def _strict_host_cookie(morsel: Morsel[str]) -> None:
    assert morsel.key.startswith("__Host-"), morsel.key
    assert morsel["secure"] is True, morsel.key
    assert morsel["httponly"] is True, morsel.key
    assert morsel["samesite"] == "Strict", morsel.key
    assert morsel["path"] == "/", morsel.key
    assert not morsel["domain"], morsel.key  # __Host-: no Domain attribute


def test_its_cookies_are_host_only_secure_httponly_and_strict(alice: User) -> None:
    client = Client()
    page = client.get("/login/")
    _strict_host_cookie(page.cookies[settings.CSRF_COOKIE_NAME])
    login = log_in(client, alice)  # password and code: the session starts
    assert login.status_code == 302
    _strict_host_cookie(login.cookies[settings.SESSION_COOKIE_NAME])
    language = client.post("/language/", {"language": "es", "next": "/login/"})
    assert language.status_code == 302
    _strict_host_cookie(language.cookies[settings.LANGUAGE_COOKIE_NAME])


def _settings_in(env: dict[str, str], tmp_path: Path) -> dict[str, object]:
    """Settings as a process started with ``env`` (and nothing else of ours) reads them."""
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_NAME",
        "LANGUAGE_COOKIE_SECURE",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, check=True
    )
    values: dict[str, object] = json.loads(out.stdout)
    return values


def production_environment(tmp_path: Path) -> dict[str, str]:
    """REFUGIO_DEBUG unset, a real secret key, everything else as in the README."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFUGIO_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="refugio_web.settings",
        PYTHONPATH=str(ROOT / "src"),
        REFUGIO_SECRET_KEY=secrets.token_urlsafe(50),
        REFUGIO_DATA_DIR=str(tmp_path),
        REFUGIO_ALLOWED_HOSTS="refugio.example.org",
        REFUGIO_MASTER_KEY=new_key_text(),  # production refuses to start without one
    )
    return env


def test_production_uses_host_cookies_and_https_and_the_demo_plain_http(tmp_path: Path) -> None:
    production = _settings_in(production_environment(tmp_path), tmp_path)
    assert production == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_NAME": "__Host-django_language",
        "LANGUAGE_COOKIE_SECURE": True,
    }
    # `make run`: plain http on 127.0.0.1, where not every browser keeps a Secure cookie.
    demo = production_environment(tmp_path) | {"REFUGIO_DEBUG": "1"}
    demo.pop("REFUGIO_SECRET_KEY")
    values = _settings_in(demo, tmp_path)
    assert values["DEBUG"] is True and values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_NAME"] == "sessionid"
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_HTTPONLY"] is True


def test_the_deploy_check_is_clean_on_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_environment(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "security.W" not in output, output


# --- error pages ------------------------------------------------------------------------------

_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _body(r: object) -> bytes:
    return _TOKEN.sub(b"", getattr(r, "content", b""))


def test_an_unknown_address_and_a_case_of_another_organisation_look_the_same(
    charlie: User, case: Case
) -> None:
    client = logged_in(charlie)
    hers = client.get(f"/cases/{case.pk}/")
    nobodys = client.get(f"/cases/{uuid.uuid4()}/")
    nowhere = client.get("/no-such-page/")
    assert hers.status_code == nobodys.status_code == nowhere.status_code == 404
    assert _body(hers) == _body(nobodys) == _body(nowhere)
    assert hers.headers == nobodys.headers
    page = hers.content.decode()
    assert "Page not found" in page and 'href="/static/uswds/css/uswds.min.css"' in page
    assert str(case.pk) not in page and "no-such-page" not in page


def test_the_error_pages_are_translated(charlie: User, case: Case) -> None:
    client = logged_in(charlie)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'lang="es"' in page and "Página no encontrada" in page


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """What the app's log handler writes (the real handler, filter and format), captured."""
    handler = logging.getLogger("django").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    captured = io.StringIO()
    previous = handler.setStream(captured)
    try:
        yield captured
    finally:
        handler.setStream(previous)


def _generic(r: object, heading: str) -> str:
    page = getattr(r, "content", b"").decode()
    assert f"<h1>{heading}</h1>" in page
    assert "Traceback" not in page and "Exception" not in page and CANARY not in page
    return page


def test_a_server_error_shows_the_generic_page_and_logs_only_status_and_path(
    alice: User, case: Case, monkeypatch: pytest.MonkeyPatch, log: io.StringIO
) -> None:
    """A library error quoting the answers (as a validation error does) reaches neither the
    page nor the log."""

    def fails(user: User, case: Case, draft: dict[str, object], *args: object, **kw: object):
        raise RuntimeError(f"cannot store {draft!r} for {user.username}")

    monkeypatch.setattr(cases, "save_draft", fails)
    client = logged_in(alice)
    client.raise_request_exception = False
    path = f"/cases/{case.pk}/step/identity/"
    r = client.post(path, {"applicant.last_name": CANARY, "action": "next", "version": "1"})

    assert r.status_code == 500
    page = _generic(r, "Something went wrong")
    assert str(case.pk) not in page
    written = log.getvalue()
    assert f"ERROR django.request: 500 {path}" in written
    assert CANARY not in written and "alice" not in written and "Traceback" not in written
    assert len(written.strip().splitlines()) == 1, written


def test_a_bad_request_shows_the_generic_page_and_logs_no_header(
    db: None, log: io.StringIO
) -> None:
    r = Client().get("/login/", HTTP_HOST=f"{CANARY}.example")
    assert r.status_code == 400
    _generic(r, "Bad request")
    written = log.getvalue()
    assert "django.security.DisallowedHost: 400 /login/" in written
    assert CANARY not in written


def test_a_refusal_and_a_form_without_its_token_show_the_generic_403_page(
    bob: User, db: None
) -> None:
    # No view refuses with 403 any more (a page the user may not see is "not found"), but a
    # PermissionDenied raised anywhere still gets the generic page, through Django's handler.
    refused = permission_denied(RequestFactory().get("/people/"), PermissionDenied("detail"))
    assert refused.status_code == 403 and b"detail" not in refused.content
    _generic(refused, "Not allowed")
    strict = Client(enforce_csrf_checks=True)
    r = strict.post("/language/", {"language": "es", "next": "/login/"})
    assert r.status_code == 403
    _generic(r, "Not allowed")
    assert settings.LANGUAGE_COOKIE_NAME not in r.cookies


# --- the network guard (tests/conftest.py) --------------------------------------------------


def _refused(guard: NetworkGuard) -> list[str]:
    refused, guard.refused[:] = list(guard.refused), []
    return refused


def test_the_guard_refuses_another_machine_by_address_or_by_name(
    _network_guard: NetworkGuard,
) -> None:
    with socket.socket() as s, pytest.raises(AssertionError, match="another machine"):
        s.connect(("192.0.2.1", 443))  # TEST-NET-1 (RFC 5737): never a real host
    with pytest.raises(AssertionError):  # the name is not even looked up
        socket.create_connection(("refugio-updates.example", 443), timeout=1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(AssertionError):
        udp.sendto(b"x", ("192.0.2.1", 53))
    assert len(_refused(_network_guard)) == 3


def test_the_guard_lets_loopback_and_unix_sockets_through(
    _network_guard: NetworkGuard, tmp_path: Path
) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        accepted = threading.Thread(target=lambda: server.accept()[0].close())
        accepted.start()
        with socket.create_connection(("localhost", server.getsockname()[1]), timeout=5):
            pass
        accepted.join(5)
    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX) as unix_server, socket.socket(socket.AF_UNIX) as client:
        unix_server.bind(path)
        unix_server.listen()
        client.connect(path)
    assert _refused(_network_guard) == []


def test_the_guard_fails_a_test_even_if_the_code_swallows_the_refusal(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import _network_guard, _network_guard_verdict  # noqa: F401\n"
    )
    (tmp_path / "test_swallow.py").write_text(
        "import socket\n\n"
        "def test_it_calls_home():\n"
        "    try:\n"
        "        socket.create_connection(('192.0.2.1', 443), timeout=1)\n"
        "    except BaseException:\n"
        "        pass\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:django", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed, 1 error" in result.stdout, result.stdout
    assert "network access refused during the test" in result.stdout
