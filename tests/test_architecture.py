"""The shape of the code (the team's rules, docs/architecture.md): checked, not remembered."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "src" / "refugio"
WEB = CORE.parent / "refugio_web"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_it_keeps_django_out_of_the_core() -> None:
    offenders = [
        str(p.relative_to(CORE))
        for p in CORE.rglob("*.py")
        if any(n == "django" or n.startswith("django.") for n in _imports(p))
    ]
    assert offenders == []


def test_it_keeps_modules_small() -> None:
    """Modules stay under ~800 lines (the team's "shape of the code" rules)."""
    long = {
        str(p.relative_to(CORE.parent)): n
        for p in CORE.parent.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    }
    assert long == {}


def test_it_makes_no_network_calls_from_the_core() -> None:
    """No outbound requests at run time (the form download will be the one explicit exception)."""
    network = {"socket", "urllib.request", "http.client", "requests", "httpx", "urllib3"}
    offenders = {
        str(p.relative_to(CORE)): sorted(_imports(p) & network) for p in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_it_ships_no_official_form_pdf() -> None:
    root = CORE.parents[1]
    skip = {".venv", "out", "node_modules", "var"}
    pdfs = [p for p in root.rglob("*.pdf") if not skip & set(p.parts)]
    assert pdfs == []


def test_it_reaches_cases_only_through_the_access_functions() -> None:
    """Every read of a case goes through refugio_web.cases (one audited funnel, 404 not 403)."""
    allowed = {"cases.py", "models.py"}
    offenders = [
        str(p.relative_to(WEB))
        for p in WEB.rglob("*.py")
        if p.name not in allowed
        and "migrations" not in p.parts
        and "commands" not in p.parts
        and "Case.objects" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_it_reaches_other_peoples_accounts_only_through_the_access_functions() -> None:
    """Accounts are reached through refugio_web.people (404 outside the admin's organisation);
    logging in looks them up by name in accounts.py and signals.py, and nowhere else."""
    allowed = {"people.py", "accounts.py", "signals.py", "models.py"}
    offenders = [
        str(p.relative_to(WEB))
        for p in WEB.rglob("*.py")
        if p.name not in allowed
        and "migrations" not in p.parts
        and "commands" not in p.parts
        and ("User.objects" in (text := p.read_text(encoding="utf-8")) or "User._default" in text)
    ]
    assert offenders == []


def test_it_makes_no_network_calls_from_the_web_app() -> None:
    network = {"urllib.request", "http.client", "requests", "httpx", "urllib3"}
    offenders = {str(p.relative_to(WEB)): sorted(_imports(p) & network) for p in WEB.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_it_keeps_totp_secrets_out_of_django_otps_clear_table() -> None:
    """django-otp's TOTP device stores its secret in clear: only migration 0007 (which moves its
    rows into the sealed refugio_web.models.Authenticator) and the settings that keep the app
    installed for it may name it (docs/decisions.md §22); tests of that migration build it."""
    allowed = {"settings.py", "0007_sealed_totp.py"}
    roots = [CORE.parent, CORE.parents[1] / "tools"]
    offenders = [
        str(p)
        for root in roots
        for p in root.rglob("*.py")
        if p.name not in allowed and "otp_totp" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
