"""The audit trail's hash chain (issue 4, point 4): sealing records and verifying a sequence.

Each record names who did what to which case, and when — never an answer (8 CFR 208.6: even
the fact that someone applied is confidential, so the trail must not become a second copy of
the file). Each record carries a sequence number, the previous record's MAC and its own MAC:
HMAC-SHA256 over a canonical serialisation of all of those fields. The key is derived (HKDF)
from a secret that is not in the database, so someone who can write to the database can
change rows but cannot make a chain that verifies (OWASP ASVS 5.0, V16: logs protected from
modification). Deleting records from the end cannot be seen from the rows alone; comparing with
a head (sequence number and MAC) written down earlier shows it.

Pure logic, no Django: the web app stores the records (``refugio_web.audit``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TypeAlias

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "GENESIS",
    "Detail",
    "Head",
    "Problem",
    "Record",
    "canonical",
    "derive_key",
    "mac",
    "seal",
    "verify",
]

# The "previous MAC" of the first record.
GENESIS = "0" * 64
# Bumped if the serialisation ever changes, so an old record cannot be read as a new one.
_FORMAT = "refugio-audit-1"
# HKDF's "info": a key for this purpose only, even if the same secret keys other things.
_INFO = b"refugio audit chain v1"
# How far from its place a moved record is looked for (each try is one HMAC, about 1 us).
_MOVE_WINDOW = 256

Detail: TypeAlias = Mapping[str, str | int | bool]


@dataclass(frozen=True)
class Record:
    """One record as stored. ``at`` is timezone-aware; ``case_id`` a UUID or None."""

    seq: int
    at: dt.datetime
    user_id: int | None
    action: str
    case_id: uuid.UUID | None
    prev_mac: str
    mac: str
    detail: Detail = field(default_factory=dict)


@dataclass(frozen=True)
class Head:
    """The last record's sequence number and MAC: written down elsewhere, it shows truncation."""

    seq: int
    mac: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.mac}"

    @classmethod
    def parse(cls, text: str) -> Head:
        """``SEQ:MAC`` as printed by ``str(head)``; ValueError otherwise."""
        seq, _, mac_hex = text.partition(":")
        if not seq.isdigit() or len(mac_hex) != 64 or not _is_hex(mac_hex):
            raise ValueError(f"not a head (SEQ:MAC, 64 hex digits): {text!r}")
        return cls(int(seq), mac_hex.lower())


@dataclass(frozen=True)
class Problem:
    """The first record that is wrong: its sequence number, what is wrong, and in words."""

    seq: int
    kind: str  # edited, inserted, moved, deleted, forked, truncated, retired
    message: str

    def __str__(self) -> str:
        return f"record {self.seq}: {self.message}"


@lru_cache(maxsize=4)
def derive_key(secret: bytes) -> bytes:
    """The chain's 32-byte HMAC key, derived from ``secret`` with HKDF-SHA256 (RFC 5869)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret)


def canonical(
    seq: int,
    at: dt.datetime,
    user_id: int | None,
    action: str,
    case_id: uuid.UUID | None,
    detail: Detail,
    prev_mac: str,
) -> bytes:
    """The bytes a MAC covers: one JSON array, fixed order, no spaces, ASCII, UTC microseconds.

    A JSON array of typed values is unambiguous (no field can spill into the next, as joined
    strings could); the time is written in UTC so the database's time zone cannot change it.
    """
    if at.tzinfo is None:
        raise ValueError("the time of an audit record must be timezone-aware")
    when = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    case = str(case_id) if case_id is not None else None
    fields = [_FORMAT, seq, when, user_id, action, case, dict(detail), prev_mac]
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def mac(key: bytes, record: Record, seq: int | None = None) -> str:
    """The HMAC-SHA256 (hex) of ``record``'s fields, as if numbered ``seq`` if given."""
    data = canonical(
        record.seq if seq is None else seq,
        record.at,
        record.user_id,
        record.action,
        record.case_id,
        record.detail,
        record.prev_mac,
    )
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def seal(
    key: bytes,
    previous: Head | None,
    at: dt.datetime,
    user_id: int | None,
    action: str,
    case_id: uuid.UUID | None = None,
    detail: Detail | None = None,
) -> Record:
    """The record that follows ``previous`` (None: the first record), with its MAC."""
    _check_detail(detail or {})
    record = Record(
        seq=previous.seq + 1 if previous else 1,
        at=at,
        user_id=user_id,
        action=action,
        case_id=case_id,
        prev_mac=previous.mac if previous else GENESIS,
        mac="",
        detail=dict(detail or {}),
    )
    return replace(record, mac=mac(key, record))


def verify(
    keys: bytes | Sequence[bytes], records: Iterable[Record], head: Head | None = None
) -> Problem | None:
    """The first wrong record of ``records`` (in sequence order), or None if the chain is intact.

    ``keys``: the current key first, then retired ones, newest to oldest. A rotated key keeps
    the records it sealed verifiable, but only up to where the next key took over: a record
    sealed with a retired key after a newer one was in use is refused ("retired"), so whoever
    learns an old key cannot add records to the trail written since.

    Streams: memory stays constant however long the trail. ``head``, a head written down
    earlier, also catches records deleted from the end (and a chain rebuilt under that number).
    """
    ring = [keys] if isinstance(keys, bytes) else list(keys)
    era = len(ring) - 1  # the oldest key still allowed; it only moves towards the newest
    expected, prev_mac = 1, GENESIS
    for record, following in _pairs(records):
        used = _sealed_by(ring, record)
        if used is not None and used > era:
            return Problem(record.seq, "retired", "sealed with a retired key after a newer one")
        era = used if used is not None else era
        problem = _check(ring[: era + 1], record, following, expected, prev_mac, used)
        if problem:
            return problem
        if head and record.seq == head.seq and not hmac.compare_digest(record.mac, head.mac):
            return Problem(record.seq, "forked", "differs from the head written down earlier")
        expected, prev_mac = record.seq + 1, record.mac
    if head and expected <= head.seq:
        return Problem(
            expected,
            "truncated",
            f"missing at the end: records {expected} to {head.seq} (deleted)",
        )
    return None


def _sealed_by(ring: list[bytes], record: Record) -> int | None:
    """The index in ``ring`` of the key whose MAC the record carries, if any."""
    for index, key in enumerate(ring):
        if hmac.compare_digest(record.mac, mac(key, record)):
            return index
    return None


def _check(
    ring: list[bytes],
    record: Record,
    following: Record | None,
    expected: int,
    prev_mac: str,
    used: int | None,
) -> Problem | None:
    if used is None:
        return _unsealed(ring, record, following, prev_mac)
    if record.seq < expected:
        return Problem(record.seq, "moved", "out of sequence (reordered)")
    if record.seq > expected:
        missing = f"record {expected}" if record.seq == expected + 1 else "records"
        span = "" if record.seq == expected + 1 else f" {expected} to {record.seq - 1}"
        return Problem(expected, "deleted", f"missing: {missing}{span} (deleted)")
    if not hmac.compare_digest(record.prev_mac, prev_mac):
        # Intact, in its place, yet sealed after another record: spliced from another chain.
        return Problem(record.seq, "forked", "does not follow the record before it")
    return None


def _unsealed(
    ring: list[bytes], record: Record, following: Record | None, prev_mac: str
) -> Problem:
    """Name what most likely happened to a record whose MAC does not match its content."""
    for seq in _near(record.seq):
        if any(hmac.compare_digest(record.mac, mac(key, record, seq)) for key in ring):
            return Problem(record.seq, "moved", f"sealed as record {seq} (reordered or renumbered)")
    if following is not None and hmac.compare_digest(following.prev_mac, prev_mac):
        # The next record was sealed right after the one before this: this one was added.
        return Problem(record.seq, "inserted", "inserted (the next record does not follow it)")
    edited = "does not match its MAC (edited, or added without the key)"
    return Problem(record.seq, "edited", edited)


def _near(seq: int) -> Iterator[int]:
    for step in range(1, _MOVE_WINDOW + 1):
        yield seq + step
        if seq - step >= 1:
            yield seq - step


def _pairs(records: Iterable[Record]) -> Iterator[tuple[Record, Record | None]]:
    """Each record with the one after it (one record of look-ahead, still streaming)."""
    it = iter(records)
    current = next(it, None)
    while current is not None:
        following = next(it, None)
        yield current, following
        current = following


def _check_detail(detail: Detail) -> None:
    # Floats and nested values would not survive a JSON round trip byte for byte.
    for name, value in detail.items():
        if not isinstance(name, str) or not isinstance(value, str | int | bool):
            raise TypeError(f"audit detail {name!r}: only str, int or bool values")


def _is_hex(text: str) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return True
