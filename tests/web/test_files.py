"""Sealed files of a case and the upload handling (issue 4, point 6): ciphertext only on disk,
owner-only modes, whole or not at all, bound to their case and id; served as generic downloads;
uploads held in memory, and refused, not spooled to a temporary file, over the limit."""

from __future__ import annotations

import io
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory

from refugio import uploads
from refugio.crypto import new_data_key
from refugio.errors import IntegrityError
from refugio.uploads import Checked, Kind
from refugio_web import files
from refugio_web.models import Case, User

# Fictional; it must never be found on disk in clear.
CANARY = b"Fictional-Evidence-Orvalle-5521"


@pytest.fixture
def files_dir(settings: Any, tmp_path: Path) -> Path:
    settings.REFUGIO_FILES_DIR = tmp_path / "files"
    return tmp_path / "files"


@pytest.fixture
def key() -> bytes:
    """The case's data key, as refugio_web.cases will pass it (issue 4, point 1)."""
    return new_data_key()


@pytest.fixture
def other_case(charlie: User) -> Case:
    return Case.objects.create(organisation=charlie.organisation, reference="T-C")


def evidence() -> Checked:
    """A checked PDF, as refugio.uploads returns it; its text in clear in the bytes, so that
    plaintext on disk would show (inspect's own output compresses it)."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (" + CANARY + b") Tj ET")
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return Checked(Kind.PDF, out.getvalue())


def test_a_stored_file_is_ciphertext_under_a_random_name(
    files_dir: Path, case: Case, key: bytes
) -> None:
    checked = evidence()
    file_id = files.store(case.pk, checked, key=key)
    on_disk = list(files_dir.rglob("*"))
    assert on_disk == [files_dir / str(case.pk), files_dir / str(case.pk) / file_id]
    raw = (files_dir / str(case.pk) / file_id).read_bytes()
    assert CANARY not in raw and b"%PDF" not in raw and b"pdf" not in raw
    assert len(file_id) == 32 and "police" not in file_id
    opened = files.read(case.pk, file_id, key=key)
    assert opened == files.StoredFile(Kind.PDF, checked.data)


def test_files_and_folders_are_for_the_owner_only(files_dir: Path, case: Case, key: bytes) -> None:
    file_id = files.store(case.pk, evidence(), key=key)
    assert stat.S_IMODE((files_dir / str(case.pk) / file_id).stat().st_mode) == 0o600
    assert stat.S_IMODE((files_dir / str(case.pk)).stat().st_mode) == 0o700
    assert stat.S_IMODE(files_dir.stat().st_mode) == 0o700


def test_two_stores_make_two_files(files_dir: Path, case: Case, key: bytes) -> None:
    first, second = (files.store(case.pk, evidence(), key=key) for _ in range(2))
    assert first != second
    assert {p.name for p in (files_dir / str(case.pk)).iterdir()} == {first, second}


def test_a_flipped_byte_is_an_integrity_error(files_dir: Path, case: Case, key: bytes) -> None:
    file_id = files.store(case.pk, evidence(), key=key)
    path = files_dir / str(case.pk) / file_id
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(IntegrityError):
        files.read(case.pk, file_id, key=key)


def test_a_file_moved_to_another_case_is_an_integrity_error(
    files_dir: Path, case: Case, other_case: Case, key: bytes
) -> None:
    """Even under the same key: the associated data names the case."""
    file_id = files.store(case.pk, evidence(), key=key)
    (files_dir / str(other_case.pk)).mkdir(mode=0o700)
    (files_dir / str(case.pk) / file_id).rename(files_dir / str(other_case.pk) / file_id)
    with pytest.raises(IntegrityError):
        files.read(other_case.pk, file_id, key=key)


def test_a_file_renamed_to_another_id_is_an_integrity_error(
    files_dir: Path, case: Case, key: bytes
) -> None:
    file_id = files.store(case.pk, evidence(), key=key)
    other_id = uploads.server_name()
    folder = files_dir / str(case.pk)
    (folder / file_id).rename(folder / other_id)
    with pytest.raises(IntegrityError):
        files.read(case.pk, other_id, key=key)


def test_another_cases_key_cannot_open_a_file(files_dir: Path, case: Case, key: bytes) -> None:
    file_id = files.store(case.pk, evidence(), key=key)
    with pytest.raises(IntegrityError):
        files.read(case.pk, file_id, key=new_data_key())


def test_a_write_that_fails_leaves_nothing_behind(
    files_dir: Path, case: Case, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        files.store(case.pk, evidence(), key=key)
    assert list((files_dir / str(case.pk)).iterdir()) == []


def test_delete_removes_a_file_and_ids_are_never_paths(
    files_dir: Path, case: Case, key: bytes
) -> None:
    file_id = files.store(case.pk, evidence(), key=key)
    files.delete(case.pk, file_id)
    files.delete(case.pk, file_id)  # already gone: nothing happens
    with pytest.raises(FileNotFoundError):
        files.read(case.pk, file_id, key=key)
    (files_dir / "secret").write_bytes(b"not a case file")
    for hostile in ("../secret", "/etc/passwd", file_id.upper(), ""):
        with pytest.raises(FileNotFoundError):
            files.read(case.pk, hostile, key=key)
        files.delete(case.pk, hostile)
    assert (files_dir / "secret").exists()


def test_delete_all_removes_the_cases_folder(
    files_dir: Path, case: Case, other_case: Case, key: bytes
) -> None:
    files.store(case.pk, evidence(), key=key)
    kept = files.store(other_case.pk, evidence(), key=key)
    files.delete_all(case.pk)
    assert not (files_dir / str(case.pk)).exists()
    assert files.read(other_case.pk, kept, key=key).kind is Kind.PDF


@pytest.mark.parametrize(
    ("kind", "content_type", "name"),
    [
        (Kind.PDF, "application/pdf", "document.pdf"),
        (Kind.JPEG, "image/jpeg", "document.jpg"),
        (Kind.PNG, "image/png", "document.png"),
    ],
)
def test_a_file_is_served_as_a_download_with_a_generic_name(
    kind: Kind, content_type: str, name: str
) -> None:
    response = files.attachment(b"fictional bytes", kind)
    assert response.content == b"fictional bytes"
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert "sandbox" in response["Content-Security-Policy"]


# --- uploads reaching Django ------------------------------------------------------------------


@pytest.fixture
def tmpdir_watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TMPDIR pointed at an empty test folder (tempfile caches the folder: forget it)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return folder


def posted(size: int) -> Any:
    """A multipart POST as a browser sends it: a field first, then a file of ``size`` bytes."""
    upload = io.BytesIO(b"\x00" * size)
    upload.name = "evidence-FICTIONAL.pdf"
    return RequestFactory().post("/upload/", {"note": "fictional", "file": upload})


def test_the_upload_settings_are_consistent() -> None:
    assert settings.REFUGIO_UPLOAD_MAX_BYTES == uploads.MAX_BYTES
    assert settings.FILE_UPLOAD_HANDLERS == ["refugio_web.files.MemoryOnlyUploadHandler"]
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == (
        settings.REFUGIO_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700


def test_an_upload_above_djangos_spooling_size_stays_in_memory(tmpdir_watched: Path) -> None:
    """Django's default handlers would write this 3 MB file to TMPDIR in clear."""
    request = posted(3 * 1024 * 1024)
    received = request.FILES["file"]
    assert isinstance(received, InMemoryUploadedFile)
    assert received.size == 3 * 1024 * 1024
    assert not files.upload_refused(request)
    assert list(tmpdir_watched.iterdir()) == []


def test_an_upload_over_the_limit_is_refused_and_never_written(tmpdir_watched: Path) -> None:
    request = posted(settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert "file" not in request.FILES
    assert request.POST["note"] == "fictional"  # the fields before it are read
    assert files.upload_refused(request)
    assert list(tmpdir_watched.iterdir()) == []


def test_a_file_longer_than_announced_is_refused(tmpdir_watched: Path, settings: Any) -> None:
    """Chunks are counted, whatever the request's Content-Length said (ASGI bodies)."""
    request = posted(10)
    handler = files.MemoryOnlyUploadHandler(request)
    handler.activated, handler.file = True, io.BytesIO()  # what new_file does
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    assert handler.receive_data_chunk(b"x" * 60, 0) is None
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert files.upload_refused(request)


# --- new data keys for a case with files (refugio keys rotate --data-keys) ----------------------


def _rotate_data_keys() -> None:
    from refugio_web import cases

    cases.rotate_keys(new_data_keys=True)


@pytest.mark.django_db
def test_it_seals_a_cases_files_again_under_its_new_data_key(files_dir: Path, case: Case) -> None:
    file_id = files.store(case.pk, evidence(), key=case._key())
    before = (files_dir / str(case.pk) / file_id).read_bytes()
    old_key = case._key()
    _rotate_data_keys()
    fresh = Case.objects.get(pk=case.pk)
    assert fresh._key() != old_key
    assert (files_dir / str(case.pk) / file_id).read_bytes() != before
    assert CANARY in files.read(case.pk, file_id, key=fresh._key()).data
    with pytest.raises(IntegrityError):
        files.read(case.pk, file_id, key=old_key)
    assert sorted(p.name for p in (files_dir / str(case.pk)).iterdir()) == [file_id]


@pytest.mark.django_db
def test_a_rotation_that_dies_before_its_commit_leaves_the_old_key_working(
    files_dir: Path, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_id = files.store(case.pk, evidence(), key=case._key())
    old_key = case._key()

    def crash(*args: Any, **kwargs: Any) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(Case, "save", crash)  # the staged copies are written, the row is not
    with pytest.raises(OSError):
        _rotate_data_keys()
    assert (files_dir / str(case.pk) / f"{file_id}.next").exists()
    monkeypatch.undo()
    assert bytes(Case.objects.get(pk=case.pk)._key()) == old_key
    assert CANARY in files.read(case.pk, file_id, key=old_key).data
    _rotate_data_keys()  # run again: the stale copy is dropped, the rotation done
    fresh = Case.objects.get(pk=case.pk)
    assert CANARY in files.read(case.pk, file_id, key=fresh._key()).data
    assert sorted(p.name for p in (files_dir / str(case.pk)).iterdir()) == [file_id]


@pytest.mark.django_db
def test_a_rotation_that_dies_after_its_commit_is_settled_by_the_next_run(
    files_dir: Path, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_id = files.store(case.pk, evidence(), key=case._key())
    real_settle = files.settle_rekey
    calls = {"n": 0}

    def settle_once(case_id: Any, *, key: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:  # the settle after the commit: the process dies instead
            raise OSError("killed")
        return real_settle(case_id, key=key)

    monkeypatch.setattr(files, "settle_rekey", settle_once)
    with pytest.raises(OSError):
        _rotate_data_keys()
    monkeypatch.undo()
    committed = Case.objects.get(pk=case.pk)._key()
    assert (files_dir / str(case.pk) / f"{file_id}.next").exists()
    # Meanwhile a read opens the staged copy under the committed key, and moves nothing...
    assert CANARY in files.read(case.pk, file_id, key=committed).data
    assert (files_dir / str(case.pk) / f"{file_id}.next").exists()
    from refugio_web import cases

    cases.rotate_keys()  # ...the next rotation settles it
    assert sorted(p.name for p in (files_dir / str(case.pk)).iterdir()) == [file_id]
    assert CANARY in files.read(case.pk, file_id, key=committed).data


@pytest.mark.django_db
def test_a_read_with_the_old_key_during_a_rotation_destroys_nothing(
    files_dir: Path, case: Case
) -> None:
    file_id = files.store(case.pk, evidence(), key=case._key())
    old_key = case._key()
    new_key = new_data_key()
    files.stage_rekey(case.pk, old_key=old_key, new_key=new_key)  # the rotation, mid-way
    # A request that loaded the case before the rotation reads the file: still the old copy.
    assert CANARY in files.read(case.pk, file_id, key=old_key).data
    assert (files_dir / str(case.pk) / f"{file_id}.next").exists()  # the staged copy stays
    files.settle_rekey(case.pk, key=new_key)  # the rotation commits and settles
    assert CANARY in files.read(case.pk, file_id, key=new_key).data
