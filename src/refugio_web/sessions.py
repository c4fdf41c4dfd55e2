"""Sessions kept in the database under a hash of their key (issue 4; threat model R2).

Django's database sessions store the cookie's value itself as the row's key, so anyone who can
read the live database — a stolen copy, a backup, a curious administrator — could take over
every open session, second factor included. Here the table holds SHA-256 of the key (the first
40 hex digits, the width of Django's column: 160 bits); the cookie alone opens the row. Keys
are 32 random characters (about 165 bits), so the hash cannot be turned back.

Writes also queue on the app's writer lock (refugio_web.writer), like every other write, so a
login or an idle-time stamp never waits in SQLite's busy handler.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from refugio_web.writer import one_writer

__all__ = ["SessionStore", "stored_key"]


def stored_key(session_key: str) -> str:
    """The key a session is stored under, for the key in its cookie."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:40]


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        try:
            if key is None:
                raise self.model.DoesNotExist
            return self.model.objects.get(
                session_key=stored_key(key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None
            return None

    async def _aget_session_from_db(self) -> Any:
        key = self.session_key
        try:
            if key is None:
                raise self.model.DoesNotExist
            return await self.model.objects.aget(
                session_key=stored_key(key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None
            return None

    def exists(self, session_key: str) -> bool:
        return bool(self.model.objects.filter(session_key=stored_key(session_key)).exists())

    async def aexists(self, session_key: str) -> bool:
        found = self.model.objects.filter(session_key=stored_key(session_key))
        return bool(await found.aexists())

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        return self.model(
            session_key=stored_key(self._get_or_create_session_key()),  # type: ignore[attr-defined]
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        return self.model(
            session_key=stored_key(await self._aget_or_create_session_key()),  # type: ignore[attr-defined]
            session_data=self.encode(data),
            expire_date=await self.aget_expiry_date(),
        )

    def save(self, must_create: bool = False) -> None:
        with one_writer():
            super().save(must_create=must_create)

    def delete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        if key is not None:
            with one_writer():
                self.model.objects.filter(session_key=stored_key(key)).delete()

    async def adelete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        if key is not None:
            await self.model.objects.filter(session_key=stored_key(key)).adelete()
