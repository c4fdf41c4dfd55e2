"""Encrypted, consistent backups of the database and the uploaded files, and their restore
(issue 4, point 7).

- **SQLite**: the online backup API copies a consistent snapshot while the app keeps running,
  into memory (never a plaintext copy on disk: the file holds password hashes and the audit trail
  in clear beside the sealed answers); it is sealed in chunks on its way to the file.
- **PostgreSQL**: ``pg_dump --format=custom`` (one consistent snapshot), read into memory;
  restore pipes the opened dump into ``pg_restore``.
- **Files**: the uploads folder's files, as they are on disk (sealed with their cases' keys).

The backup file is sealed under the current master key (``refugio.crypto.seal_stream``); keep
the key file apart from the backups, and keep old keys as long as backups made under them.
Restore checks the whole file before it touches the database.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from refugio.atomic import write_atomically
from refugio.crypto import open_stream, seal_stream
from refugio_web import files, vault
from refugio_web.errors import WebError
from refugio_web.writer import one_writer

__all__ = ["BackupError", "Summary", "backup", "restore"]

PURPOSE = "database backup"


class BackupError(WebError):
    """A backup or restore that cannot be done (its message says why)."""


@dataclass(frozen=True)
class Summary:
    engine: str
    plaintext_bytes: int


def _sqlite_path() -> Path:
    return Path(str(connection.settings_dict["NAME"]))


def _sqlite_snapshot() -> bytes:
    source = sqlite3.connect(f"file:{_sqlite_path()}?mode=ro", uri=True)
    memory = sqlite3.connect(":memory:")
    try:
        source.backup(memory)
        return memory.serialize()
    finally:
        source.close()
        memory.close()


def _pg_args(program: str) -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    env = vault.child_environment(PGPASSWORD=str(db.get("PASSWORD") or ""))
    args = [program, "--no-owner", "--dbname", str(db["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args, env


def _pg_dump() -> bytes:
    args, env = _pg_args("pg_dump")
    result = subprocess.run(  # noqa: S603 - fixed program, settings as arguments
        [*args, "--format=custom"], env=env, capture_output=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed (exit status {result.returncode})")
    return result.stdout


def _database_snapshot() -> tuple[str, bytes]:
    if connection.vendor == "sqlite":
        return "database.sqlite3", _sqlite_snapshot()
    if connection.vendor == "postgresql":
        return "database.pgdump", _pg_dump()
    raise BackupError(f"no backup for the {connection.vendor} database")


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600  # no owner, no time: nothing but the bytes
    archive.addfile(info, io.BytesIO(data))


def backup(path: Path) -> Summary:
    """Write an encrypted snapshot of the database and the uploaded files to ``path``.

    One tar archive, in memory, sealed on its way to the file: the database first (a snapshot),
    then every stored file as it lies on disk (already sealed with its case's key). Files are
    only ever added or removed, so every file the snapshot names is there.
    """
    name, snapshot = _database_snapshot()
    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w") as archive:
        _add(archive, name, snapshot)
        for case_id, file_id, sealed in files.sealed_files():
            _add(archive, f"files/{case_id}/{file_id}", sealed)
    ring = vault.ring()
    plain.seek(0)
    write_atomically(path, lambda out: seal_stream(ring, plain, out, purpose=PURPOSE))
    return Summary(connection.vendor, len(plain.getvalue()))


def _opened(path: Path) -> dict[str, bytes]:
    # Checked whole before the database is touched: a damaged file changes nothing.
    out = io.BytesIO()
    with path.open("rb") as sealed:
        open_stream(vault.ring(), sealed, out, purpose=PURPOSE)
    out.seek(0)
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=out, mode="r") as archive:
        for member in archive.getmembers():  # read by name, never extracted to a path
            extracted = archive.extractfile(member) if member.isfile() else None
            if extracted is not None:
                members[member.name] = extracted.read()
    return members


def restore(path: Path) -> Summary:
    """Replace the database's content and the uploaded files with those in the backup at
    ``path`` (stop the app first)."""
    members = _opened(path)
    name = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    if name not in members:
        raise BackupError(f"the backup holds no {connection.vendor} database")
    if connection.vendor == "sqlite":
        _restore_sqlite(members[name])
    else:
        _restore_postgresql(members[name])
    kept = set()
    for member, sealed in members.items():
        parts = member.split("/")
        if len(parts) == 3 and parts[0] == "files":
            case_id = uuid.UUID(parts[1])
            files.put_sealed(case_id, parts[2], sealed)
            kept.add((case_id, parts[2]))
    files.keep_only(kept)
    return Summary(connection.vendor, sum(len(v) for v in members.values()))


def _restore_postgresql(dump: bytes) -> None:
    args, env = _pg_args("pg_restore")
    result = subprocess.run(  # noqa: S603 - fixed program, settings as arguments
        [*args, "--clean", "--if-exists", "--single-transaction"],
        input=dump,
        env=env,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (exit status {result.returncode})")


def _restore_sqlite(plain: bytes) -> None:
    memory = sqlite3.connect(":memory:")
    try:
        # Bytes 18-19 of the header say "WAL" for a database in WAL mode; a database in memory
        # cannot be one, so they are set back to the rollback journal (SQLite file format §1.3.3).
        # The app turns WAL on again when it opens the restored file.
        image = bytearray(plain)
        if image[:16] == b"SQLite format 3\x00":
            image[18:20] = b"\x01\x01"
        memory.deserialize(bytes(image))
        if memory.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the snapshot in the backup is not a sound SQLite database")
        connection.close()  # Django's connection must not hold the file meanwhile
        target = sqlite3.connect(_sqlite_path())
        try:
            with one_writer():
                memory.backup(target)
        finally:
            target.close()
    finally:
        memory.close()
