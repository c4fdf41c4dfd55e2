"""The audit trail (issue 4, point 4): what is recorded, that the database refuses changes, and
that `refugio audit verify` catches what someone with write access to the database did anyway.

Alice owns the case, Bob shares her organisation. The attacks lift the triggers first, as
someone with the database in hand would; the test's transaction puts them back."""

from __future__ import annotations

import secrets
import threading
import uuid
from typing import Any

import pytest
from click.testing import CliRunner, Result
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from refugio.audit import Head
from refugio.cli import main
from refugio.editions import DEFAULT_EDITION, get_edition
from refugio_web import audit, cases
from refugio_web.models import AccessEvent, Case, User
from tests.conftest import blank_path
from tests.web.conftest import PASSWORD, log_in, logged_in

pytestmark = pytest.mark.django_db

CANARY = "Zorvexa-canary-7731"  # fictional; must never reach the trail


def _last() -> int:
    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _since(seq: int) -> list[tuple[str, int | None, uuid.UUID | None]]:
    rows = AccessEvent.objects.filter(seq__gt=seq).order_by("seq")
    return list(rows.values_list("action", "user_id", "case_id"))


def _verify(*args: str) -> Result:
    # Through the core's `refugio` command: the web app's `audit` is its plugin.
    return CliRunner().invoke(main, ["audit", "verify", *args])


def _attack(*statements: str) -> None:
    """Change rows as someone with write access to the database: triggers dropped first."""
    audit.remove_triggers(connection)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def trail(alice: User, bob: User, case: Case) -> list[AccessEvent]:
    """Six records: a login, a view, a save (access and edit), a download, a list."""
    return [
        audit.append(alice, "login"),
        audit.append(alice, "view", case.pk),
        *audit.append_many(alice, ["edit-open", "edit"], case.pk),
        audit.append(bob, "download", case.pk, edition="01/20/25"),
        audit.append(bob, "list"),
    ]


# --- verify ------------------------------------------------------------------------------------


def test_an_intact_trail_passes_with_a_one_line_summary(trail: list[AccessEvent]) -> None:
    result = _verify()
    assert result.exit_code == 0, result.output
    assert result.output == f"audit trail intact: 6 records, head 6:{trail[-1].mac}\n"


def test_it_still_verifies_after_the_secret_key_is_rotated(
    trail: list[AccessEvent], alice: User, settings: Any
) -> None:
    old = settings.SECRET_KEY
    settings.SECRET_KEY = secrets.token_urlsafe(50)  # the next secret key
    audit.append(alice, "list")  # sealed under the new key
    assert _verify().exit_code == 1  # the old records need the retired key...
    settings.REFUGIO_AUDIT_KEY_FALLBACKS = [old]
    result = _verify()  # ...kept for the audit trail only
    assert result.exit_code == 0, result.output
    assert result.output.startswith("audit trail intact: 7 records")


def test_an_edited_record_is_caught(trail: list[AccessEvent]) -> None:
    _attack("UPDATE refugio_web_accessevent SET action = 'list' WHERE seq = 3")
    result = _verify()
    assert result.exit_code == 1
    assert "record 3: does not match its MAC" in result.output


def test_two_reordered_records_are_caught(trail: list[AccessEvent]) -> None:
    # Swap records 2 and 3 (the order is the sequence number; unique, so in three steps).
    _attack(
        "UPDATE refugio_web_accessevent SET seq = 1000 WHERE seq = 2",
        "UPDATE refugio_web_accessevent SET seq = 2 WHERE seq = 3",
        "UPDATE refugio_web_accessevent SET seq = 3 WHERE seq = 1000",
    )
    result = _verify()
    assert result.exit_code == 1
    assert "record 2: sealed as record 3 (reordered or renumbered)" in result.output


def test_a_deleted_record_is_caught(trail: list[AccessEvent]) -> None:
    _attack("DELETE FROM refugio_web_accessevent WHERE seq = 4")
    result = _verify()
    assert result.exit_code == 1
    assert "record 4: missing: record 4 (deleted)" in result.output


def test_an_inserted_record_is_caught(trail: list[AccessEvent], bob: User, case: Case) -> None:
    # Make room at 3 (two steps: the numbers are unique), then add a record without the key,
    # copying the links of a real one.
    _attack(
        "UPDATE refugio_web_accessevent SET seq = seq + 1000 WHERE seq >= 3",
        "UPDATE refugio_web_accessevent SET seq = seq - 999 WHERE seq >= 1000",
    )
    real = trail[2]
    AccessEvent.objects.create(
        seq=3, at=real.at, user=bob, case_id=case.pk, action="view", prev_mac=real.prev_mac,
        mac=real.mac,
    )  # fmt: skip
    result = _verify()
    assert result.exit_code == 1
    assert "record 3: inserted" in result.output


def test_records_deleted_from_the_end_are_caught_against_a_head(
    trail: list[AccessEvent],
) -> None:
    head = _verify().output.rsplit("head ", 1)[1].strip()
    _attack("DELETE FROM refugio_web_accessevent WHERE seq >= 5")
    assert _verify().exit_code == 0  # the rows alone cannot show it: the head can
    result = _verify("--head", head)
    assert result.exit_code == 1
    assert "record 5: missing at the end: records 5 to 6 (deleted)" in result.output


def test_a_malformed_head_is_a_usage_error(trail: list[AccessEvent]) -> None:
    result = _verify("--head", "6:not-a-mac")
    assert result.exit_code == 2 and "not a head" in result.output


def test_show_lists_the_records_of_one_case(trail: list[AccessEvent], case: Case) -> None:
    result = CliRunner().invoke(main, ["audit", "show", "--case", str(case.pk)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[-1] for line in lines] == ["view", "edit-open", "edit", "download"]


# --- append-only at the database -------------------------------------------------------------


def test_the_database_refuses_to_change_or_delete_a_record(trail: list[AccessEvent]) -> None:
    rows = AccessEvent.objects.filter(seq=2)
    for change in (
        lambda: rows.update(action="list"),
        lambda: rows.delete(),
        lambda: AccessEvent.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    event = trail[1]
    event.action = "list"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    assert AccessEvent.objects.count() == 6
    assert AccessEvent.objects.get(seq=2).action == "view"


def test_deleting_a_user_leaves_their_records_as_they_were(org: Any) -> None:
    dana = User.objects.create_user("dana", password=PASSWORD, organisation=org)
    dana_id = audit.append(dana, "login").user_id
    dana.delete()
    assert AccessEvent.objects.get(seq=1).user_id == dana_id
    assert _verify().exit_code == 0


def test_records_made_before_the_chain_are_sealed_in_order(alice: User) -> None:
    """Migration 0003 seals the records an older version wrote (no number, no MAC)."""
    audit.remove_triggers(connection)
    for n, action in enumerate(["login", "view", "logout"]):
        AccessEvent.objects.create(seq=100 + n, user=alice, action=action)
    audit.seal_rows(AccessEvent.objects.order_by("id"))
    assert list(AccessEvent.objects.values_list("seq", "action")) == [
        (1, "login"),
        (2, "view"),
        (3, "logout"),
    ]
    assert _verify().exit_code == 0


# --- what is recorded ---------------------------------------------------------------------------


def test_a_login_adds_one_record(alice: User) -> None:
    before = _last()
    logged_in(alice)
    assert _since(before) == [("login", alice.pk, None)]


def test_a_logout_adds_one_record(alice: User) -> None:
    client = logged_in(alice)
    before = _last()
    client.post("/logout/")
    assert _since(before) == [("logout", alice.pk, None)]


def test_a_failed_login_names_an_existing_account_by_id_only(alice: User) -> None:
    client = Client()
    before = _last()
    log_in(client, alice, password=CANARY)
    assert _since(before) == [("login-failed", alice.pk, None)]
    before = _last()
    client.post("/login/", {"username": CANARY, "password": CANARY, "code": "123456"})
    assert _since(before) == [("login-failed", None, None)]
    assert CANARY not in repr(list(AccessEvent.objects.values()))


def test_a_view_adds_one_record(alice: User, case: Case) -> None:
    client = logged_in(alice)
    before = _last()
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert _since(before) == [("view", alice.pk, case.pk)]


def test_a_save_adds_the_access_and_the_edit_and_no_answer(alice: User, case: Case) -> None:
    client = logged_in(alice)
    before = _last()
    r = client.post(
        f"/cases/{case.pk}/step/identity/",
        {"version": "1", "action": "autosave", "applicant.last_name": CANARY},
    )
    assert r.status_code == 200
    assert _since(before) == [("edit-open", alice.pk, case.pk), ("edit", alice.pk, case.pk)]
    assert CANARY not in repr(list(AccessEvent.objects.values()))
    assert _verify().exit_code == 0


def test_a_download_adds_one_record(alice: User, case_b: Case) -> None:
    blank_path(get_edition(DEFAULT_EDITION))
    client = logged_in(alice)
    before = _last()
    assert client.get(f"/cases/{case_b.pk}/i-589.pdf").status_code == 200
    assert _since(before) == [("download", alice.pk, case_b.pk)]


def test_a_save_costs_the_chain_one_query(alice: User, case: Case) -> None:
    """The save's p95 target is 25 ms: the chain reads its head, the records stay one INSERT."""
    with CaptureQueriesContext(connection) as queries:
        cases.save_draft(alice, case, {"meta": {}}, 1, opened="edit-open")
    chain = [q["sql"] for q in queries if "accessevent" in q["sql"] or "audit" in q["sql"]]
    assert len(chain) == 2, chain
    assert _since(0) == [("edit-open", alice.pk, case.pk), ("edit", alice.pk, case.pk)]


@pytest.mark.django_db(transaction=True)
def test_appends_from_many_threads_never_fork(alice: User) -> None:
    """Each append reads the head under the lock: no two records follow the same one."""

    def worker() -> None:
        try:
            for _ in range(10):
                audit.append(alice, "list")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert list(AccessEvent.objects.values_list("seq", flat=True)) == list(range(1, 61))
    assert audit.verify_trail(Head(60, AccessEvent.objects.get(seq=60).mac)).problem is None
