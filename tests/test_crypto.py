"""Envelope encryption (issue 4, point 1): what is sealed opens only in its place, under its key."""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refugio.crypto import (
    KeyRing,
    MasterKey,
    derive,
    new_data_key,
    new_key_text,
    open_sealed,
    open_stream,
    parse_key,
    seal,
    seal_stream,
    unwrap,
    wrap,
    wrapped_by,
)
from refugio.errors import CryptoError, IntegrityError

CASE_A = "case:6b1f0c2e-0000-4000-8000-000000000001"
CASE_B = "case:6b1f0c2e-0000-4000-8000-000000000002"


def ring() -> KeyRing:
    return KeyRing(parse_key(new_key_text()))


@given(st.binary(max_size=4096))
def test_what_is_sealed_opens_in_its_place(plaintext: bytes) -> None:
    key = new_data_key()
    sealed = seal(key, plaintext, record=CASE_A, field="draft")
    assert open_sealed(key, sealed, record=CASE_A, field="draft") == plaintext
    if len(plaintext) >= 8:
        assert plaintext not in sealed


def test_the_same_answer_sealed_twice_looks_different() -> None:
    key = new_data_key()
    assert seal(key, b"same", record=CASE_A, field="draft") != seal(
        key, b"same", record=CASE_A, field="draft"
    )


@pytest.mark.parametrize("position", [0, 1, 5, 13, 20, -1])
def test_a_flipped_bit_anywhere_is_an_integrity_error(position: int) -> None:
    key = new_data_key()
    sealed = bytearray(seal(key, b"Part B: detained in 2016", record=CASE_A, field="draft"))
    sealed[position] ^= 0x01
    with pytest.raises(IntegrityError):
        open_sealed(key, bytes(sealed), record=CASE_A, field="draft")


def test_a_ciphertext_moved_to_another_case_or_field_does_not_open() -> None:
    key = new_data_key()
    sealed = seal(key, b"answers of case A", record=CASE_A, field="draft")
    with pytest.raises(IntegrityError):
        open_sealed(key, sealed, record=CASE_B, field="draft")  # swapped between records
    with pytest.raises(IntegrityError):
        open_sealed(key, sealed, record=CASE_A, field="reference")  # swapped between fields
    with pytest.raises(IntegrityError):
        open_sealed(new_data_key(), sealed, record=CASE_A, field="draft")  # another case's key


def test_associated_data_parts_cannot_be_shifted() -> None:
    # "a|b" + "c" and "a" + "b|c" are different places.
    key = new_data_key()
    sealed = seal(key, b"x", record="case:a|b", field="c")
    with pytest.raises(IntegrityError):
        open_sealed(key, sealed, record="case:a", field="b|c")


def test_truncated_or_foreign_values_are_integrity_errors() -> None:
    key = new_data_key()
    sealed = seal(key, b"answers", record=CASE_A, field="draft")
    for bad in (b"", sealed[:10], b"\x02" + sealed[1:], b'{"meta": {}}'):
        with pytest.raises(IntegrityError):
            open_sealed(key, bad, record=CASE_A, field="draft")


def test_a_data_key_unwraps_only_for_its_record() -> None:
    keys = ring()
    data_key = new_data_key()
    wrapped = wrap(keys, data_key, record=CASE_A)
    assert data_key not in wrapped
    assert unwrap(keys, wrapped, record=CASE_A) == data_key
    with pytest.raises(IntegrityError):
        unwrap(keys, wrapped, record=CASE_B)


def test_rotation_older_keys_still_unwrap_and_new_wraps_use_the_current_key() -> None:
    old = parse_key(new_key_text())
    new = parse_key(new_key_text())
    data_key = new_data_key()
    wrapped_old = wrap(KeyRing(old), data_key, record=CASE_A)
    both = KeyRing(new, [old])
    assert unwrap(both, wrapped_old, record=CASE_A) == data_key
    rewrapped = wrap(both, data_key, record=CASE_A)
    assert wrapped_by(rewrapped) == new.kid
    assert unwrap(KeyRing(new), rewrapped, record=CASE_A) == data_key
    with pytest.raises(CryptoError, match="not configured"):
        unwrap(KeyRing(new), wrapped_old, record=CASE_A)  # the old key was removed too early


def test_keys_are_checked_and_never_printed() -> None:
    with pytest.raises(CryptoError, match="32 bytes"):
        parse_key("c2hvcnQ")
    with pytest.raises(CryptoError):
        parse_key("not base64 at all!!")
    key = parse_key(new_key_text())
    assert key.secret.hex() not in repr(key) and key.secret.hex() not in repr(KeyRing(key))
    assert MasterKey.from_bytes(key.secret).kid == key.kid  # the id depends on the key only


def test_derived_keys_differ_by_purpose_and_master_key() -> None:
    one, two = parse_key(new_key_text()), parse_key(new_key_text())
    assert derive(one, "session stash") == derive(one, "session stash")
    assert derive(one, "session stash") != derive(one, "audit")
    assert derive(one, "session stash") != derive(two, "session stash")
    assert len(derive(one, "audit")) == 32 and derive(one, "audit") != one.secret


def _sealed_stream(keys: KeyRing, data: bytes) -> bytes:
    out = io.BytesIO()
    assert seal_stream(keys, io.BytesIO(data), out, purpose="backup") == len(data)
    return out.getvalue()


def _opened_stream(keys: KeyRing, sealed: bytes, purpose: str = "backup") -> bytes:
    out = io.BytesIO()
    open_stream(keys, io.BytesIO(sealed), out, purpose=purpose)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 << 20])
def test_a_stream_round_trips_across_chunk_boundaries(size: int) -> None:
    keys = ring()
    data = os.urandom(size)
    sealed = _sealed_stream(keys, data)
    assert _opened_stream(keys, sealed) == data
    if size >= 64:
        assert data[:64] not in sealed


def test_a_stream_cut_changed_reordered_or_extended_does_not_open() -> None:
    keys = ring()
    data = os.urandom((2 << 20) + 100)  # three chunks
    sealed = _sealed_stream(keys, data)
    header, record = 15 + 8 + 16, 1 + 4 + (1 << 20) + 16
    first, second = sealed[header : header + record], sealed[header + record : header + 2 * record]
    damaged = {
        "cut after a whole chunk": sealed[: header + record],
        "cut in the middle": sealed[:-10],
        "a flipped bit": sealed[:5000] + bytes([sealed[5000] ^ 1]) + sealed[5001:],
        "two chunks swapped": sealed[:header] + second + first + sealed[header + 2 * record :],
        "a chunk dropped": sealed[:header] + second + sealed[header + 2 * record :],
        "the last flag set early": sealed[:header] + b"\x01" + sealed[header + 1 :],
        "data appended": sealed + b"\x00",
        "not sealed at all": data[:1000],
    }
    for what, bad in damaged.items():
        with pytest.raises(IntegrityError):
            _opened_stream(keys, bad)
            pytest.fail(what)
    with pytest.raises(IntegrityError):
        _opened_stream(keys, sealed, purpose="something else")


def test_a_stream_opens_with_the_key_that_sealed_it_while_it_is_kept() -> None:
    old, new = parse_key(new_key_text()), parse_key(new_key_text())
    sealed = _sealed_stream(KeyRing(old), b"an old backup")
    assert _opened_stream(KeyRing(new, [old]), sealed) == b"an old backup"
    with pytest.raises(CryptoError, match="not configured"):
        _opened_stream(KeyRing(new), sealed)
