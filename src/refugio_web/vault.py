"""Where the web app keeps its keys and seals what it stores (issue 4, point 1).

The cryptography is in the core (``refugio.crypto``); this module knows the settings and the
records. A case's data key is unwrapped from the case row when first needed and kept on the
instance for the request; it is never written anywhere in clear.
"""

from __future__ import annotations

import functools
import os

from django.conf import settings

from refugio.crypto import KeyRing, derive, new_data_key, open_sealed, parse_key, seal, wrap
from refugio.errors import IntegrityError

__all__ = [
    "child_environment",
    "new_wrapped_key",
    "open_aside",
    "open_kept",
    "record_of",
    "ring",
    "seal_aside",
    "seal_kept",
]


@functools.lru_cache(maxsize=4)
def _ring(keys: tuple[str, ...]) -> KeyRing:
    parsed = [parse_key(k) for k in keys]
    return KeyRing(parsed[0], parsed[1:])


def ring() -> KeyRing:
    """The configured master keys (settings.MASTER_KEYS), first one current."""
    return _ring(tuple(settings.MASTER_KEYS))


def record_of(model: str, pk: object) -> str:
    """The name a ciphertext is bound to: table and primary key ("case:6b1f…")."""
    return f"{model}:{pk}"


def new_wrapped_key(record: str) -> tuple[bytes, bytes]:
    """A new data key for ``record`` and its wrapped form (what the database keeps)."""
    key = new_data_key()
    return key, wrap(ring(), key, record=record)


def seal_aside(purpose: str, record: str, plaintext: bytes) -> bytes:
    """Seal something that belongs to no case yet (answers posted while logged out, kept in the
    session until the user logs in again) under a key derived from the current master key."""
    return seal(derive(ring().current, purpose), plaintext, record=record, field=purpose)


def open_aside(purpose: str, record: str, sealed: bytes) -> bytes:
    """The plaintext of ``seal_aside``; IntegrityError if changed, moved or the key rotated."""
    return open_sealed(derive(ring().current, purpose), sealed, record=record, field=purpose)


def seal_kept(purpose: str, record: str, field: str, plaintext: bytes) -> tuple[bytes, str]:
    """Seal a small secret kept in the database that belongs to no case (an account's TOTP
    secret) under a key derived from the current master key for ``purpose`` (HKDF), bound to
    ``record`` and ``field``. Returns the sealed bytes and the master key's id (hex), which the
    row keeps beside them: ``refugio keys rotate`` finds what an older key sealed by it, and
    ``open_kept`` opens it with that key as long as the key is configured."""
    master = ring().current
    sealed = seal(derive(master, purpose), plaintext, record=record, field=field)
    return sealed, master.kid.hex()


def open_kept(purpose: str, record: str, field: str, sealed: bytes, key_id: str) -> bytes:
    """The plaintext of ``seal_kept``; IntegrityError if it was changed or moved to another
    record or field, CryptoError if the master key ``key_id`` is no longer configured."""
    try:
        kid = bytes.fromhex(key_id)
    except ValueError:
        raise IntegrityError(f"{field} of {record}: no master key id") from None
    master = ring().find(kid)
    return open_sealed(derive(master, purpose), sealed, record=record, field=field)


def child_environment(**extra: str) -> dict[str, str]:
    """The environment for a program the app starts (pdftoppm, pg_dump): this process's,
    without the master keys, the secret key or the database address — a helper program never
    needs them, and a crash report or a debugging session of it must not show them."""
    secret = ("REFUGIO_", "DJANGO_", "DATABASE_URL", "PGPASSWORD")
    env = {k: v for k, v in os.environ.items() if not k.startswith(secret)}
    env.update(extra)
    return env
