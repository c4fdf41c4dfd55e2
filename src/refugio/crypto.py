"""Envelope encryption of case data at rest (issue 4, point 1).

Every case has its own random 256-bit data key. Its answers, notes and documents are sealed with
AES-256-GCM under that key; the data key itself is stored only *wrapped* (sealed) by a master key
that lives outside the database (environment or key file). So:

- a copy of the database alone (a stolen disk, a curious database administrator) reads no answer;
- deleting a case's row destroys the live copy of its data key, and copies of its ciphertext
  left elsewhere become noise (crypto-shredding) — except in backups, which hold the row too;
- rotating the master key re-wraps the small data keys, not the data.

Associated data binds each ciphertext to its place — purpose, record and field — so a ciphertext
moved to another case, another field or another purpose fails authentication instead of showing
someone else's answers. Nonces are random 96-bit values (NIST SP 800-38D §8.2.2): a case is
saved at most a few hundred thousand times, far below the 2^32 messages per key that bound
allows.

The core has no idea where keys are kept; the web app (``refugio_web.vault``) reads the master
keys from its settings and calls these functions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from refugio.errors import CryptoError, IntegrityError

__all__ = [
    "KEY_BYTES",
    "CryptoError",
    "IntegrityError",
    "KeyRing",
    "MasterKey",
    "derive",
    "new_data_key",
    "new_key_text",
    "open_sealed",
    "open_stream",
    "parse_key",
    "seal",
    "seal_stream",
    "unwrap",
    "wrap",
    "wrapped_by",
]

KEY_BYTES = 32  # AES-256
_NONCE = 12
_FORMAT = b"\x01"  # first byte of every sealed value: the layout below, so it can change later
_KID = 8  # bytes of a master key's id stored beside each wrapped data key


@dataclass(frozen=True, repr=False)
class MasterKey:
    """A key-encryption key. ``kid`` names it in each wrapped data key (it reveals nothing:
    an HMAC of a constant under the key)."""

    secret: bytes
    kid: bytes

    @classmethod
    def from_bytes(cls, secret: bytes) -> MasterKey:
        if len(secret) != KEY_BYTES:
            raise CryptoError(f"a master key must be {KEY_BYTES} bytes, not {len(secret)}")
        kid = hmac.new(secret, b"refugio master key id", hashlib.sha256).digest()[:_KID]
        return cls(secret, kid)

    def __repr__(self) -> str:  # never print a key, even in a traceback
        return f"MasterKey(kid={self.kid.hex()})"


def parse_key(text: str) -> MasterKey:
    """A master key written as URL-safe base64 (what ``refugio_web``'s key command prints)."""
    cleaned = text.strip()
    try:
        raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except ValueError as exc:
        raise CryptoError("a master key must be URL-safe base64") from exc
    return MasterKey.from_bytes(raw)


def new_key_text() -> str:
    """A new random master key, as text for an environment variable or a key file."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("=")


class KeyRing:
    """The current master key (wraps new data keys) and older ones (still unwrap, until
    ``rotate`` has re-wrapped every data key under the current one)."""

    def __init__(self, current: MasterKey, older: Iterable[MasterKey] = ()) -> None:
        self.current = current
        self._by_kid = {key.kid: key for key in (*older, current)}

    def find(self, kid: bytes) -> MasterKey:
        try:
            return self._by_kid[kid]
        except KeyError:
            raise CryptoError(
                f"the master key {kid.hex()} that wrapped this data key is not configured"
            ) from None

    def __repr__(self) -> str:
        return f"KeyRing(current={self.current!r}, keys={len(self._by_kid)})"


def derive(master: MasterKey, purpose: str) -> bytes:
    """A key for one purpose that is not a case's (e.g. answers kept in a session while the user
    logs in again), derived from a master key with HKDF-SHA256 (RFC 5869)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode())
    return hkdf.derive(master.secret)


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _ad(purpose: str, record: str, field: str) -> bytes:
    # Length-prefixed parts: ("a|b", "c") and ("a", "b|c") must not give the same bytes.
    parts = [b"refugio", purpose.encode(), record.encode(), field.encode()]
    return b"".join(len(p).to_bytes(2, "big") + p for p in parts)


def seal(key: bytes, plaintext: bytes, *, record: str, field: str) -> bytes:
    """``plaintext`` sealed under a data key, bound to ``record`` and ``field``."""
    nonce = os.urandom(_NONCE)
    return _FORMAT + nonce + AESGCM(key).encrypt(nonce, plaintext, _ad("data", record, field))


def open_sealed(key: bytes, sealed: bytes, *, record: str, field: str) -> bytes:
    """The plaintext of ``seal(key, …, record=record, field=field)``; IntegrityError otherwise."""
    if len(sealed) < 1 + _NONCE + 16 or sealed[:1] != _FORMAT:
        raise IntegrityError(f"{field} of {record}: not a sealed value")
    nonce, body = sealed[1 : 1 + _NONCE], sealed[1 + _NONCE :]
    try:
        return AESGCM(key).decrypt(nonce, body, _ad("data", record, field))
    except InvalidTag:
        raise IntegrityError(f"{field} of {record}: the ciphertext failed authentication") from None


def wrap(ring: KeyRing, data_key: bytes, *, record: str) -> bytes:
    """The data key of ``record`` sealed by the current master key (its id in front)."""
    master = ring.current
    nonce = os.urandom(_NONCE)
    body = AESGCM(master.secret).encrypt(nonce, data_key, _ad("key", record, "data-key"))
    return _FORMAT + master.kid + nonce + body


def wrapped_by(wrapped: bytes) -> bytes:
    """The id of the master key that wrapped this data key."""
    return wrapped[1 : 1 + _KID]


def unwrap(ring: KeyRing, wrapped: bytes, *, record: str) -> bytes:
    """The data key of ``record``; IntegrityError if the wrapped key was changed or moved."""
    if len(wrapped) != 1 + _KID + _NONCE + KEY_BYTES + 16 or wrapped[:1] != _FORMAT:
        raise IntegrityError(f"data key of {record}: not a wrapped key")
    master = ring.find(wrapped_by(wrapped))
    nonce, body = wrapped[1 + _KID : 1 + _KID + _NONCE], wrapped[1 + _KID + _NONCE :]
    try:
        return AESGCM(master.secret).decrypt(nonce, body, _ad("key", record, "data-key"))
    except InvalidTag:
        raise IntegrityError(f"data key of {record}: failed authentication") from None


# --- streams (backups) -------------------------------------------------------------------------
# A backup is sealed in chunks, so that neither side holds more than a chunk twice: a random
# salt makes a key for this stream alone (HKDF from the master key), each chunk's nonce is its
# number, and the associated data names the header, the chunk number and whether it is the last
# — so chunks cannot be reordered, dropped, or the stream cut short without an IntegrityError.

_STREAM_MAGIC = b"REFUGIO-SEALED\x01"
_CHUNK = 1 << 20


def _stream_key(master: MasterKey, salt: bytes, purpose: str) -> bytes:
    info = f"refugio stream: {purpose}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(
        master.secret
    )


def _chunk_ad(header: bytes, index: int, last: bool) -> bytes:
    return header + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def seal_stream(ring: KeyRing, source: IO[bytes], target: IO[bytes], *, purpose: str) -> int:
    """Seal everything ``source`` yields into ``target`` under the current master key; returns
    the number of plaintext bytes. Each chunk: a last-chunk flag, its length, its ciphertext."""
    salt = os.urandom(16)
    header = _STREAM_MAGIC + ring.current.kid + salt
    aead = AESGCM(_stream_key(ring.current, salt, purpose))
    target.write(header)
    total, index = 0, 0
    chunk = source.read(_CHUNK)
    while True:
        following = source.read(_CHUNK)
        last = not following
        body = aead.encrypt(index.to_bytes(_NONCE, "big"), chunk, _chunk_ad(header, index, last))
        target.write((b"\x01" if last else b"\x00") + len(body).to_bytes(4, "big") + body)
        total += len(chunk)
        if last:
            return total
        chunk, index = following, index + 1


def _read_exact(source: IO[bytes], size: int) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise IntegrityError("the sealed stream is cut short")
    return data


def open_stream(ring: KeyRing, source: IO[bytes], target: IO[bytes], *, purpose: str) -> int:
    """Write the plaintext of ``seal_stream`` to ``target``; IntegrityError on any change.

    Chunks are written as they are verified: on an error, discard what ``target`` holds.
    """
    magic = source.read(len(_STREAM_MAGIC))
    if magic != _STREAM_MAGIC:
        raise IntegrityError("not a file sealed by Refugio")
    kid, salt = _read_exact(source, _KID), _read_exact(source, 16)
    header = magic + kid + salt
    aead = AESGCM(_stream_key(ring.find(kid), salt, purpose))
    total = 0
    for index in itertools.count():
        flag, size = _read_exact(source, 1), int.from_bytes(_read_exact(source, 4), "big")
        if flag not in (b"\x00", b"\x01") or size > _CHUNK + 16:
            raise IntegrityError("the sealed stream is damaged")
        last = flag == b"\x01"
        nonce, ad = index.to_bytes(_NONCE, "big"), _chunk_ad(header, index, last)
        try:
            chunk = aead.decrypt(nonce, _read_exact(source, size), ad)
        except InvalidTag:
            raise IntegrityError(
                f"chunk {index} of the sealed stream failed authentication"
            ) from None
        target.write(chunk)
        total += len(chunk)
        if last:
            if source.read(1):
                raise IntegrityError("the sealed stream has data after its end")
            return total
    raise AssertionError("unreachable")  # pragma: no cover
