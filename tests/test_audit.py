"""The audit trail's hash chain (issue 4, point 4): every kind of tampering is named, at its record.

The web app stores the records; here the chain is a plain list (``refugio.audit`` is pure).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from dataclasses import replace
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from refugio.audit import (
    GENESIS,
    Head,
    Problem,
    Record,
    canonical,
    derive_key,
    mac,
    seal,
    verify,
)
from refugio.cli import main

KEY = derive_key(b"tests-only secret")
T0 = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
CASE = uuid.UUID("5f1c0d2e-8a4b-4c6d-9e0f-112233445566")
ACTIONS = ["login", "view", "edit-open", "edit", "download", "preview", "logout"]


def make_chain(n: int, key: bytes = KEY) -> list[Record]:
    out: list[Record] = []
    head = None
    for i in range(n):
        at = T0 + dt.timedelta(seconds=i, microseconds=i * 7)
        record = seal(key, head, at, i % 3 or None, ACTIONS[i % len(ACTIONS)], CASE)
        out.append(record)
        head = Head(record.seq, record.mac)
    return out


def head_of(records: list[Record]) -> Head:
    return Head(records[-1].seq, records[-1].mac)


@given(st.integers(min_value=0, max_value=40))
def test_an_intact_chain_verifies(n: int) -> None:
    records = make_chain(n)
    assert verify(KEY, records) is None
    if records:
        assert verify(KEY, records, head_of(records)) is None


def test_records_are_numbered_from_one_and_linked() -> None:
    first, second = make_chain(2)
    assert (first.seq, first.prev_mac) == (1, GENESIS)
    assert (second.seq, second.prev_mac) == (2, first.mac)
    assert len(first.mac) == 64 and first.mac != second.mac


@given(
    st.integers(min_value=0, max_value=11),
    st.sampled_from(["at", "user_id", "action", "case_id", "detail", "prev_mac"]),
)
def test_an_edited_record_is_named(index: int, name: str) -> None:
    records = make_chain(12)
    changed: Any = {
        "at": records[index].at + dt.timedelta(microseconds=1),
        "user_id": 99,
        "action": "nothing",
        "case_id": uuid.UUID(int=1),
        "detail": {"format": "pdf"},
        "prev_mac": "f" * 64,
    }[name]
    records[index] = replace(records[index], **{name: changed})
    assert verify(KEY, records) == Problem(
        index + 1, "edited", "does not match its MAC (edited, or added without the key)"
    )


@given(st.integers(min_value=0, max_value=10))
def test_a_deleted_record_is_named(index: int) -> None:
    records = make_chain(12)
    del records[index]
    problem = verify(KEY, records)
    assert problem is not None and (problem.seq, problem.kind) == (index + 1, "deleted")


def test_several_deleted_records_are_named_as_a_span() -> None:
    records = make_chain(12)
    del records[3:6]
    assert str(verify(KEY, records)) == "record 4: missing: records 4 to 6 (deleted)"


@given(st.integers(min_value=0, max_value=10))
def test_two_swapped_records_are_named(index: int) -> None:
    """Swapping two records means giving each the other's number (the order is the number)."""
    records = make_chain(12)
    a, b = records[index], records[index + 1]
    records[index], records[index + 1] = replace(b, seq=a.seq), replace(a, seq=b.seq)
    problem = verify(KEY, records)
    assert problem is not None and (problem.seq, problem.kind) == (index + 1, "moved")
    assert f"sealed as record {index + 2}" in problem.message


def test_a_deletion_hidden_by_renumbering_is_named() -> None:
    records = make_chain(8)
    del records[2]
    records[2:] = [replace(r, seq=r.seq - 1) for r in records[2:]]
    problem = verify(KEY, records)
    assert problem is not None and (problem.seq, problem.kind) == (3, "moved")
    assert "sealed as record 4" in problem.message


def test_a_record_inserted_in_the_middle_is_named() -> None:
    """Without the key the forger can only copy a MAC; the next record still follows the one
    before the forgery."""
    records = make_chain(8)
    forged = replace(records[3], action="view", user_id=7)
    records.insert(3, forged)
    records[4:] = [replace(r, seq=r.seq + 1) for r in records[4:]]
    problem = verify(KEY, records)
    assert problem is not None and (problem.seq, problem.kind) == (4, "inserted")


def test_a_record_added_at_the_end_without_the_key_is_named() -> None:
    records = make_chain(5)
    forged = seal(derive_key(b"a guess"), head_of(records), T0, 1, "view", CASE)
    problem = verify(KEY, [*records, forged])
    assert problem is not None and (problem.seq, problem.kind) == (6, "edited")


def test_a_chain_of_another_key_does_not_verify() -> None:
    problem = verify(KEY, make_chain(3, derive_key(b"another secret")))
    assert problem is not None and problem.seq == 1


def test_records_deleted_from_the_end_are_seen_against_a_known_head() -> None:
    records = make_chain(10)
    head = head_of(records)
    assert verify(KEY, records[:7]) is None  # the rows alone cannot tell
    assert str(verify(KEY, records[:7], head)) == (
        "record 8: missing at the end: records 8 to 10 (deleted)"
    )
    assert verify(KEY, [], head) == Problem(
        1, "truncated", "missing at the end: records 1 to 10 (deleted)"
    )


def test_a_chain_rebuilt_under_a_known_head_number_is_seen() -> None:
    records = make_chain(6)
    head = head_of(records)
    rebuilt = records[:5]
    rebuilt.append(seal(KEY, head_of(rebuilt), T0, None, "list"))
    problem = verify(KEY, rebuilt, head)
    assert problem is not None and (problem.seq, problem.kind) == (6, "forked")


def test_a_record_spliced_from_another_chain_of_the_same_key_is_named() -> None:
    records = make_chain(6)
    other = seal(KEY, Head(3, "e" * 64), T0, 1, "view", CASE)
    records[3] = other
    problem = verify(KEY, records)
    assert problem is not None and (problem.seq, problem.kind) == (4, "forked")


def test_the_canonical_form_is_the_same_in_every_time_zone() -> None:
    tokyo = T0.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert canonical(1, T0, 2, "view", CASE, {}, GENESIS) == canonical(
        1, tokyo, 2, "view", CASE, {}, GENESIS
    )
    assert b"2026-03-01T09:30:00.000000Z" in canonical(1, tokyo, 2, "view", CASE, {}, GENESIS)


def test_the_canonical_form_cannot_shift_text_between_fields() -> None:
    one = canonical(1, T0, None, "a,b", None, {}, GENESIS)
    two = canonical(1, T0, None, "a", None, {"b": ""}, GENESIS)
    assert one != two
    record = make_chain(1)[0]
    assert mac(KEY, record) == record.mac and mac(KEY, record, 2) != record.mac


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        canonical(1, T0.replace(tzinfo=None), None, "view", None, {}, GENESIS)


def test_a_detail_that_would_not_survive_json_is_refused() -> None:
    with pytest.raises(TypeError, match="format"):
        seal(KEY, None, T0, 1, "download", CASE, {"format": 1.5})  # type: ignore[dict-item]


def test_the_key_is_derived_per_secret() -> None:
    assert len(KEY) == 32
    assert derive_key(b"tests-only secret") == KEY != derive_key(b"tests-only secret!")


def test_a_head_reads_back_from_its_text() -> None:
    head = head_of(make_chain(3))
    assert Head.parse(str(head)) == head
    for text in ("3", "x:" + "0" * 64, "3:" + "g" * 64, "3:abc"):
        with pytest.raises(ValueError, match="not a head"):
            Head.parse(text)


def test_the_core_command_loads_no_plugin_and_no_django_unless_asked() -> None:
    """`refugio fill` and friends must not pay for Django (the web app's commands are plugins)."""
    code = (
        "import sys\n"
        "from refugio.cli import main\n"
        "try:\n    main(['editions'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'refugio_web')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_the_core_command_lists_the_audit_plugin() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0 and "audit" in result.output


# --- a rotated key ------------------------------------------------------------------------------

NEW_KEY = derive_key(b"tests-only secret, the next one")


def _continue(records: list[Record], key: bytes, n: int) -> list[Record]:
    out = list(records)
    for i in range(n):
        head = head_of(out)
        out.append(seal(key, head, T0 + dt.timedelta(hours=1, seconds=i), 1, "view", CASE))
    return out


def test_it_verifies_a_trail_sealed_under_a_key_and_then_its_successor() -> None:
    records = _continue(make_chain(5), NEW_KEY, 4)
    assert verify([NEW_KEY, KEY], records, head_of(records)) is None


def test_it_names_the_first_old_record_when_the_retired_key_is_not_given() -> None:
    records = _continue(make_chain(5), NEW_KEY, 4)
    problem = verify([NEW_KEY], records)
    assert problem is not None and problem.seq == 1 and problem.kind == "edited"


def test_it_refuses_a_record_forged_with_the_retired_key_after_the_rotation() -> None:
    # Whoever learns the old key appends a record in its name after the new key took over.
    records = _continue(make_chain(5), NEW_KEY, 4)
    forged = _continue(records, KEY, 1)
    problem = verify([NEW_KEY, KEY], forged)
    assert problem == Problem(10, "retired", "sealed with a retired key after a newer one")
