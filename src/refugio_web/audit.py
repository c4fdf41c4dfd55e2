"""The one way to write the audit trail, and to check it (issue 4, point 4).

Every record goes through ``append`` / ``append_many``: each takes the chain's head (the last
record's number and MAC), seals the new records after it (``refugio.audit``) and inserts them,
with the head read under a lock so two appends never seal after the same record (a fork):

- SQLite: inside ``one_writer()`` (reentrant; a save already holds it) and a transaction, which
  SQLite runs one writer at a time anyway (``transaction_mode=IMMEDIATE``);
- PostgreSQL: ``refugio_audit_head()`` (installed by migration 0003) takes
  ``pg_advisory_xact_lock`` and then reads the head, in one round trip. A plain SELECT after the
  lock in the same statement would read a snapshot taken before the lock was granted; a
  PL/pgSQL function takes a new snapshot per statement, so it sees the last committed append.

Lean on purpose (the save's p95 target is 25 ms): inside a save's transaction the chain adds one
small query (the head, by the unique index on ``seq``); the records are one INSERT, as before.

The table is append-only at the database: triggers refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL). Someone with full access to the database can drop them, but cannot recompute the
MACs: the key is derived from a secret outside the database (``chain_key``).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.utils import timezone

from refugio import audit as chain
from refugio_web.models import AccessEvent, User
from refugio_web.writer import one_writer

__all__ = [
    "Verdict",
    "append",
    "append_many",
    "case_records",
    "chain_key",
    "chain_keys",
    "install_triggers",
    "records",
    "remove_triggers",
    "seal_rows",
    "verify_trail",
]

# Written out in full (the table is refugio_web_accessevent), as migrations freeze SQL.
_SQLITE_ON = [
    """CREATE TRIGGER refugio_audit_no_update BEFORE UPDATE ON refugio_web_accessevent
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER refugio_audit_no_delete BEFORE DELETE ON refugio_web_accessevent
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
_SQLITE_OFF = [
    "DROP TRIGGER IF EXISTS refugio_audit_no_update",
    "DROP TRIGGER IF EXISTS refugio_audit_no_delete",
]
_POSTGRESQL_ON = [
    """CREATE OR REPLACE FUNCTION refugio_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$""",
    """CREATE TRIGGER refugio_audit_no_change BEFORE UPDATE OR DELETE ON refugio_web_accessevent
    FOR EACH ROW EXECUTE FUNCTION refugio_audit_refuse()""",
    """CREATE TRIGGER refugio_audit_no_truncate BEFORE TRUNCATE ON refugio_web_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION refugio_audit_refuse()""",
    # The lock, then the head in a statement of its own (a snapshot taken after the lock). The
    # lock's name is any fixed 64-bit number, the same in every app process: "REFUGIOA".
    """CREATE OR REPLACE FUNCTION refugio_audit_head(OUT head_seq bigint, OUT head_mac varchar)
    LANGUAGE plpgsql VOLATILE AS $$ BEGIN
        PERFORM pg_advisory_xact_lock(5928221816585277249);
        SELECT seq, mac INTO head_seq, head_mac
        FROM refugio_web_accessevent ORDER BY seq DESC LIMIT 1;
    END $$""",
]
_POSTGRESQL_OFF = [
    "DROP TRIGGER IF EXISTS refugio_audit_no_change ON refugio_web_accessevent",
    "DROP TRIGGER IF EXISTS refugio_audit_no_truncate ON refugio_web_accessevent",
]
_TRIGGERS = {"sqlite": (_SQLITE_ON, _SQLITE_OFF), "postgresql": (_POSTGRESQL_ON, _POSTGRESQL_OFF)}


def chain_key() -> bytes:
    """The chain's current HMAC key: the one place it comes from.

    Derived (HKDF) from SECRET_KEY, which lives outside the database. Rotating SECRET_KEY
    changes it; the records sealed before stay verifiable through ``chain_keys``.
    """
    return _derived(settings.SECRET_KEY)


def chain_keys() -> list[bytes]:
    """Every key the trail may have been sealed with, newest first: SECRET_KEY, Django's
    SECRET_KEY_FALLBACKS, then REFUGIO_AUDIT_KEY_FALLBACKS — retired secret keys kept only to
    verify the records they sealed (a fallback of Django's also still signs in; these do not)."""
    secrets = [
        settings.SECRET_KEY,
        *settings.SECRET_KEY_FALLBACKS,
        *getattr(settings, "REFUGIO_AUDIT_KEY_FALLBACKS", []),
    ]
    return [_derived(secret) for secret in dict.fromkeys(secrets)]


@functools.lru_cache(maxsize=8)
def _derived(secret: str) -> bytes:
    return chain.derive_key(secret.encode())  # HKDF once per process, not once per save


def append(
    user: User | None, action: str, case_id: uuid.UUID | None = None, **detail: str | int | bool
) -> AccessEvent:
    """Record that ``user`` did ``action`` (to case ``case_id``): who, what, when — no answer.

    ``detail`` holds identifiers chosen by the code (a format, a step), never user input.
    """
    return append_many(user, [action], case_id, **detail)[0]


def append_many(
    user: User | None,
    actions: Sequence[str],
    case_id: uuid.UUID | None = None,
    **detail: str | int | bool,
) -> list[AccessEvent]:
    """Record several actions at once, in order (a save: the access, then the edit)."""
    key = chain_key()
    user_id = user.pk if user is not None else None
    # No savepoint inside a save's transaction: it would cost two more queries.
    with one_writer(), transaction.atomic(savepoint=False):
        head = _head()
        now = timezone.now()  # under the lock: times follow the sequence numbers
        events = []
        for action in actions:
            sealed = chain.seal(key, head, now, user_id, action, case_id, detail)
            events.append(_event(sealed))
            head = chain.Head(sealed.seq, sealed.mac)
        return AccessEvent.objects.bulk_create(events)


def _head() -> chain.Head | None:
    """The last record's number and MAC, read under the append lock (see the module's doc)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT head_seq, head_mac FROM refugio_audit_head()")
            row = cursor.fetchone()
        return chain.Head(row[0], row[1]) if row and row[0] is not None else None
    last = AccessEvent.objects.order_by("-seq").values_list("seq", "mac").first()
    return chain.Head(*last) if last else None


def _event(record: chain.Record) -> AccessEvent:
    return AccessEvent(
        seq=record.seq,
        at=record.at,
        user_id=record.user_id,
        action=record.action,
        case_id=record.case_id,
        detail=dict(record.detail),
        prev_mac=record.prev_mac,
        mac=record.mac,
    )


def _record(event: AccessEvent) -> chain.Record:
    return chain.Record(
        seq=event.seq,
        at=event.at,
        user_id=event.user_id,
        action=event.action,
        case_id=event.case_id,
        prev_mac=event.prev_mac,
        mac=event.mac,
        detail=event.detail,
    )


def records(rows: QuerySet[AccessEvent] | None = None) -> Iterator[chain.Record]:
    """The trail (or ``rows`` of it) in sequence order, streamed in chunks."""
    query = AccessEvent.objects.all() if rows is None else rows
    return (_record(event) for event in query.order_by("seq").iterator(chunk_size=2000))


def case_records(case_id: uuid.UUID) -> Iterator[chain.Record]:
    """The records of one case, in order (``refugio audit show``)."""
    return records(AccessEvent.objects.filter(case_id=case_id))


@dataclass(frozen=True)
class Verdict:
    """What ``refugio audit verify`` reports: the count, the head, the first problem if any."""

    count: int
    head: chain.Head | None
    problem: chain.Problem | None


def verify_trail(head: chain.Head | None = None) -> Verdict:
    """Check the whole trail; ``head``, written down earlier, also catches truncation."""
    seen = _Counting(records())
    problem = chain.verify(chain_keys(), seen, head)
    return Verdict(seen.count, seen.last, problem)


class _Counting:
    """Passes records through, counting them and keeping the last head (still streaming)."""

    def __init__(self, source: Iterable[chain.Record]) -> None:
        self.source = source
        self.count = 0
        self.last: chain.Head | None = None

    def __iter__(self) -> Iterator[chain.Record]:
        for record in self.source:
            self.count += 1
            self.last = chain.Head(record.seq, record.mac)
            yield record


def seal_rows(rows: Iterable[AccessEvent]) -> None:
    """Seal records written before the chain existed, in the given order (migration 0003)."""
    key, head = chain_key(), None
    for row in rows:
        sealed = chain.seal(key, head, row.at, row.user_id, row.action, row.case_id)
        row.seq, row.prev_mac, row.mac = sealed.seq, sealed.prev_mac, sealed.mac
        row.save(update_fields=["seq", "prev_mac", "mac"])
        head = chain.Head(sealed.seq, sealed.mac)


def install_triggers(db: BaseDatabaseWrapper) -> None:
    """Make the table append-only (migration 0003; again after a flush)."""
    _run(db, _TRIGGERS.get(db.vendor, ([], []))[0])


def remove_triggers(db: BaseDatabaseWrapper) -> None:
    """Lift the triggers: unmigrating 0003, or a flush (which empties every table)."""
    _run(db, _TRIGGERS.get(db.vendor, ([], []))[1])


def _run(db: BaseDatabaseWrapper, statements: list[str]) -> None:
    with db.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
