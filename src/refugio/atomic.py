"""Writing a file completely or not at all — the one place the project does it.

A temporary file in the same folder (``mkstemp``: mode 0600, so a confidential file is never
readable by others, and it keeps that mode when renamed), fsync, rename over the target, fsync
the folder: after a crash the target is the old file or the new one, never half of the new
(docs/decisions.md, "nothing half-written"). Used for filled forms, backups and stored uploads.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["fsync_directory", "write_atomically"]


def write_atomically(
    path: Path,
    fill: Callable[[BinaryIO], object],
    *,
    prefix: str = ".refugio-",
    suffix: str = ".part",
) -> None:
    """Write ``path`` through ``fill(file)``; on any error nothing is left behind."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    fsync_directory(directory)


def fsync_directory(folder: Path) -> None:
    """Make a rename or a removal in ``folder`` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
