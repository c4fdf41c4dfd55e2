"""A case's uploaded files, sealed on disk, and how uploads reach the app (issue 4, point 6).

What a file goes through (issue 5 builds the page on it):

1. The request body is read into memory only (``MemoryOnlyUploadHandler``, settings
   ``FILE_UPLOAD_HANDLERS``): Django's default handler spools any upload over 2.5 MB to a
   plaintext temporary file, which outlives a crash and is readable by whoever reads /tmp
   (issue 4, point 1: "temporary files never hold plaintext"). A request over the limit is
   refused without being kept anywhere; ``upload_refused(request)`` tells the view.
2. ``refugio.uploads.inspect`` checks and cleans the bytes (type, size, metadata).
3. ``store`` seals the cleaned bytes with the case's data key (AES-256-GCM, refugio.crypto) and
   writes them under a random server-made name, whole or not at all; the associated data binds
   the ciphertext to its case and its file id, so a file copied to another case, or renamed,
   fails authentication instead of being served. The kind (PDF, JPEG, PNG) is sealed with the
   bytes: the disk shows neither the type nor the user's file name (SecureDrop keeps names
   inside the ciphertext for the same reason).
4. ``attachment`` serves a file as a download with a generic name, never rendered by the browser.

The functions take the 32-byte data key as a parameter: the case's key is unwrapped by the
model (``refugio_web.vault``), and ``refugio_web.cases`` — the one module that reaches cases —
passes it here.

Layout: ``REFUGIO_FILES_DIR/<case id>/<file id>``, directories 0700, files 0600. A case's
folder holds only ciphertext; deleting the case's key makes it noise (crypto-shredding), and
``delete_all`` removes it.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse

from refugio.atomic import fsync_directory, write_atomically
from refugio.crypto import open_sealed, seal
from refugio.errors import IntegrityError
from refugio.uploads import Checked, Kind, server_name

__all__ = [
    "MemoryOnlyUploadHandler",
    "StoredFile",
    "attachment",
    "delete",
    "delete_all",
    "files_dir",
    "read",
    "store",
    "upload_refused",
]

_FILE_ID = re.compile(r"[0-9a-f]{32}\Z")  # what refugio.uploads.server_name makes
# Set in request.META (a WSGI environ key with a dot: the app's own) when an upload is refused.
_REFUSED = "refugio.upload_refused"
# A file sealed under a case's next data key, waiting for the row that holds that key.
_NEXT = ".next"


@dataclass(frozen=True)
class StoredFile:
    """A stored file, opened: its kind and its bytes."""

    kind: Kind
    data: bytes = field(repr=False)


def files_dir() -> Path:
    return Path(settings.REFUGIO_FILES_DIR)


def store(case_id: uuid.UUID, checked: Checked, *, key: bytes) -> str:
    """Seal ``checked`` under the case's data key into a new file; return its id."""
    folder = _case_dir(case_id, create=True)
    file_id = server_name()
    while (folder / file_id).exists():  # 128 random bits: never, but never overwrite either
        file_id = server_name()
    plaintext = checked.kind.value.encode() + b"\n" + checked.data
    sealed = seal(key, plaintext, record=_record(case_id), field=_field(file_id))
    _write(folder / file_id, sealed)
    return file_id


def read(case_id: uuid.UUID, file_id: str, *, key: bytes) -> StoredFile:
    """The file ``file_id`` of the case, opened; IntegrityError if it was changed, moved from
    another case or renamed; FileNotFoundError if there is no such file."""
    path = _path(case_id, file_id)
    sealed = path.read_bytes()
    try:
        plaintext = open_sealed(key, sealed, record=_record(case_id), field=_field(file_id))
    except IntegrityError:
        # A rotation committed the case's new key but has not moved the new copy into place
        # yet (or died before it could): the copy beside it opens under the key the caller
        # holds. A read never moves or removes anything; only the rotation settles, under
        # the writers' lock (a read racing a rotation must not destroy its staged copies).
        staged = path.with_name(file_id + _NEXT)
        if not staged.exists():
            raise
        plaintext = open_sealed(
            key, staged.read_bytes(), record=_record(case_id), field=_field(file_id)
        )
    kind, _, data = plaintext.partition(b"\n")
    try:
        return StoredFile(Kind(kind.decode("ascii")), data)
    except (UnicodeDecodeError, ValueError):
        # Authenticated, so written by us: only a future format could get here.
        raise IntegrityError(f"file {file_id}: unknown kind") from None


def delete(case_id: uuid.UUID, file_id: str) -> None:
    """Remove one file (nothing happens if it is already gone, or never was)."""
    with contextlib.suppress(FileNotFoundError):
        path = _path(case_id, file_id)
        path.unlink()
        fsync_directory(path.parent)


def delete_all(case_id: uuid.UUID) -> None:
    """Remove the case's folder with every file in it (when the case is deleted)."""
    shutil.rmtree(_case_dir(case_id, create=False), ignore_errors=True)


def case_has_files(case_id: uuid.UUID) -> bool:
    return bool(_stored(case_id))


def _stored(case_id: uuid.UUID) -> list[Path]:
    folder = _case_dir(case_id, create=False)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _FILE_ID.match(p.name))


def sealed_files() -> Iterator[tuple[uuid.UUID, str, bytes]]:
    """Every stored file as it lies on disk, sealed (for ``refugio backup``)."""
    root = files_dir()
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        try:
            case_id = uuid.UUID(folder.name)
        except ValueError:
            continue
        for path in sorted(folder.iterdir()):
            if _FILE_ID.match(path.name):
                yield case_id, path.name, path.read_bytes()


def stage_rekey(case_id: uuid.UUID, *, old_key: bytes, new_key: bytes) -> int:
    """Seal every file of the case again under ``new_key`` beside the old one (``<id>.next``).

    The first half of giving a case a new data key (``refugio keys rotate --data-keys``): the
    new copies are written before the row that holds the new key is committed, and moved over
    the old ones after it (``settle_rekey``). Returns the number of files staged.
    """
    staged = 0
    for path in _stored(case_id):
        opened = read(case_id, path.name, key=old_key)
        plaintext = opened.kind.value.encode() + b"\n" + opened.data
        sealed = seal(new_key, plaintext, record=_record(case_id), field=_field(path.name))
        _write(path.with_name(path.name + _NEXT), sealed)
        staged += 1
    return staged


def settle_rekey(case_id: uuid.UUID, *, key: bytes) -> int:
    """Finish or undo a rekey: a staged copy that opens under the case's committed ``key`` takes
    the old file's place; one that does not (the row was never committed) is removed.

    Safe to run at any time and any number of times: it is how an interrupted rotation is
    resumed. Returns the number of files moved into place.
    """
    moved = 0
    folder = _case_dir(case_id, create=False)
    if not folder.is_dir():
        return 0
    for path in sorted(folder.iterdir()):
        file_id = path.name.removesuffix(_NEXT)
        if path.name == file_id or not _FILE_ID.match(file_id):
            continue
        sealed = path.read_bytes()
        try:
            open_sealed(key, sealed, record=_record(case_id), field=_field(file_id))
        except IntegrityError:
            path.unlink()
            continue
        path.replace(folder / file_id)
        moved += 1
    fsync_directory(folder)
    return moved


def put_sealed(case_id: uuid.UUID, file_id: str, sealed: bytes) -> None:
    """Put back a file as ``sealed_files`` gave it (for ``refugio restore``)."""
    if not _FILE_ID.match(file_id):
        raise FileNotFoundError("not a file id")
    path = _case_dir(case_id, create=True) / file_id
    _write(path, sealed)


def keep_only(kept: set[tuple[uuid.UUID, str]]) -> None:
    """Remove every stored file not in ``kept`` (after a restore: files of another time)."""
    for case_id, file_id, _sealed in list(sealed_files()):
        if (case_id, file_id) not in kept:
            delete(case_id, file_id)


def attachment(data: bytes, kind: Kind, name: str = "") -> HttpResponse:
    """``data`` as a download: never shown inside the app's pages, never cached, never given a
    type by guessing, and named ``document.<ext>`` whatever the user called it (or ``name``, a
    generic name chosen by the code, such as ``packet.zip``: never a person's)."""
    response = HttpResponse(data, content_type=kind.mime_type)
    response["Content-Disposition"] = f'attachment; filename="{name or kind.download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    # Should a browser render the file anyway, no script of it runs and it loads nothing
    # (django-csp leaves a policy the view set alone).
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- the upload handler ------------------------------------------------------------------------


class MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Django's in-memory handler, with the fallback to a temporary file replaced by a refusal.

    Django's own ``MemoryFileUploadHandler`` steps aside for a request body larger than
    ``FILE_UPLOAD_MAX_MEMORY_SIZE`` so that the next handler (a temporary file) takes it. Alone
    in ``FILE_UPLOAD_HANDLERS``, it would silently drop such a file; this one stops the upload
    instead and marks the request (``upload_refused``). The rest of the body is read and
    discarded (``StopUpload(connection_reset=False)``), so the browser receives the answer
    rather than a reset connection. Chunks are counted too, in case a body is longer than its
    Content-Length said (ASGI; on WSGI the stream stops at Content-Length).

    WSGI only: under ASGI Django spools the whole request body to a temporary file before any
    handler runs. Refugio is served by gunicorn's WSGI workers.
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if not self.activated:
            self._refuse()
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            self._refuse()
        return super().receive_data_chunk(raw_data, start)

    def _refuse(self) -> NoReturn:
        if self.request is not None:
            self.request.META[_REFUSED] = True
        raise StopUpload(connection_reset=False)


def upload_refused(request: HttpRequest) -> bool:
    """Whether a file of this request was refused for its size (after request.FILES was read):
    the view then says the file is too big, instead of "no file chosen"."""
    return bool(request.META.get(_REFUSED))


# --- disk --------------------------------------------------------------------------------------


def _write(path: Path, sealed: bytes) -> None:
    write_atomically(path, lambda out: out.write(sealed), prefix=".incoming-")


def _record(case_id: uuid.UUID) -> str:
    # The name refugio_web.vault.record_of("case", pk) gives the case's other ciphertexts.
    return f"case:{case_id}"


def _field(file_id: str) -> str:
    return f"file:{file_id}"


def _case_dir(case_id: uuid.UUID, *, create: bool) -> Path:
    root = files_dir()
    folder = root / str(uuid.UUID(str(case_id)))  # a UUID, so never a path of the caller's
    if create:
        # Owner only, created one level at a time: mkdir(parents=True) ignores the mode for
        # the levels above.
        root.parent.mkdir(parents=True, exist_ok=True)
        root.mkdir(mode=0o700, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _path(case_id: uuid.UUID, file_id: str) -> Path:
    if not _FILE_ID.match(file_id):  # never a path: no "..", no "/", nothing but our names
        raise FileNotFoundError("no such file")
    return _case_dir(case_id, create=False) / file_id
