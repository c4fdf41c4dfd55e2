"""Every error Refugio's core raises derives from RefugioError (one hierarchy, as in pypdf)."""

from __future__ import annotations

__all__ = [
    "CaseFileError",
    "CryptoError",
    "DossierError",
    "EditionError",
    "FieldMapError",
    "FillError",
    "FontError",
    "IntegrityError",
    "PacketError",
    "RefugioError",
    "UploadError",
]


class RefugioError(Exception):
    """Base class of every error the core raises; the CLI turns it into a message and exit 1."""


class CaseFileError(RefugioError):
    """A case file cannot be read or does not match the application model."""


class EditionError(RefugioError):
    """A PDF is not a known edition of Form I-589 (or cannot be opened at all)."""


class FieldMapError(RefugioError):
    """A field map does not account for the widgets of its edition."""


class FillError(RefugioError):
    """The form could not be filled (e.g. an output path that cannot be written)."""


class FontError(RefugioError):
    """No installed font covers a native-alphabet name."""


class CryptoError(RefugioError):
    """A key is missing or malformed (refugio.crypto)."""


class IntegrityError(CryptoError):
    """A ciphertext failed authentication: changed, truncated, moved, or under another key.

    Never answered with data: the caller shows an error, not a guess.
    """


class UploadError(RefugioError):
    """An uploaded file is refused (refugio.uploads); the message says why, in plain words."""


class DossierError(RefugioError):
    """A dossier (events, evidence, declaration) is inconsistent with itself, e.g. an event
    that links to evidence that does not exist; the message names the item."""


class PacketError(RefugioError):
    """The filing packet cannot be built: a missing file, a refused document, an unwritable
    output. Nothing is half-written (refugio.atomic)."""
