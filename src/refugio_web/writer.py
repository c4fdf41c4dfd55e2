"""One writer at a time on SQLite, queued without polling.

SQLite lets one connection write at a time. A second writer waits in SQLite's busy handler,
which sleeps and retries (1, 2, 5, 10, … up to 100 ms between tries): a save that meets another
one there waits up to tens of milliseconds after the first has finished, and under load the
wait is unfair. Writers queue here instead, and each is woken the moment the one before is done:

- the threads of one server process on a lock;
- the server processes (gunicorn runs one per core) on an ``flock`` of a file beside the database,
  which the kernel hands to the next waiter at release.

Reentrant, so a write inside a write (a record made while a draft is saved) cannot deadlock.
Take it *before* opening a transaction (``with one_writer(), transaction.atomic():``): a process
that began a write transaction and then waited here would hold SQLite's lock while the process
holding this one waits for SQLite's.
On PostgreSQL, or an in-memory SQLite database (tests), only the thread lock or nothing is used.
"""

from __future__ import annotations

import fcntl
import os
import threading
from types import TracebackType

from django.db import connection

__all__ = ["one_writer"]


class _WriterLock:
    def __init__(self) -> None:
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._pid = 0  # the file is opened again after a fork: a shared one would not exclude

    def _lock_file(self) -> int | None:
        name = str(connection.settings_dict.get("NAME") or "")
        if not name or name == ":memory:" or name.startswith("file:"):
            return None
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(f"{name}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            if self._depth == 0 and (fd := self._lock_file()) is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        self._depth += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._fd is not None and self._pid == os.getpid():
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()


_LOCK = _WriterLock()


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NONE = _NoLock()


def one_writer() -> _WriterLock | _NoLock:
    """The lock to hold around a write transaction (nothing to hold on PostgreSQL)."""
    return _LOCK if connection.vendor == "sqlite" else _NONE
