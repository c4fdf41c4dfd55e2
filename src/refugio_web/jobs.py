"""Documents built in the background, with progress a page without JavaScript can show.

The filing packet (issue 5, point 7) takes a few seconds for a large case: too long to hold a
request open without telling anyone anything. ``start`` records a :class:`Job`, runs the work in
a thread of the same process and returns at once; the work reports its stages through
``Progress``, which writes them to the row; the job's page refreshes itself (a meta refresh, so
Tor Browser's "safest" level still sees it move) until the job is done or failed.

The result is sealed under the case's key in the file store (``refugio_web.files``), like an
upload: a generated document is as confidential as the evidence in it (issue 4, point 1).

A thread, not a task queue: one fewer service to run and secure at a small office. A job whose
process died (a restart mid-build) stops reporting; after ``STALE`` without news it counts as
failed and can be started again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from refugio.crypto import open_sealed, seal
from refugio.errors import RefugioError
from refugio.uploads import Checked
from refugio_web import audit, files, vault
from refugio_web.models import Case, Job, User
from refugio_web.writer import one_writer

__all__ = [
    "STALE",
    "Progress",
    "Work",
    "discard",
    "error_of",
    "latest",
    "reseal_errors",
    "result",
    "start",
    "state_of",
]

log = logging.getLogger(__name__)

STALE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Progress:
    """What a running job reports: called by the builder at each stage."""

    job_id: uuid.UUID

    def __call__(self, stage: str, done: int, total: int) -> None:
        with one_writer(), transaction.atomic():
            Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
                stage=stage[:40], done=done, total=total, updated_at=timezone.now()
            )


Work = Callable[[Progress], Checked]


def start(user: User, case: Case, kind: str, work: Work) -> Job:
    """Start ``work`` for the case, or return the job of that kind already running."""
    with one_writer(), transaction.atomic():
        running = _running(case, kind)
        if running is not None:
            return running
        job = Job.objects.create(case=case, kind=kind, started_by=user)
        audit.append(user, f"{kind}-start", case.pk)
    if getattr(settings, "REFUGIO_JOBS_INLINE", False):
        _run(job.pk, case, work)  # tests: the same work, without a thread
    else:
        name = f"refugio-job-{job.pk}"  # never the case's reference: thread names reach logs
        threading.Thread(
            target=_in_thread, args=(job.pk, case, work), name=name, daemon=True
        ).start()
    # As it is now (the inline run may have finished it, or its case may be gone).
    return Job.objects.filter(pk=job.pk).first() or job


def latest(case: Case, kind: str) -> Job | None:
    """The case's newest job of ``kind``, if any."""
    return Job.objects.filter(case=case, kind=kind).first()


def state_of(job: Job) -> str:
    """``running``, ``done`` or ``failed`` — a running job that went quiet has failed."""
    if job.state == Job.State.RUNNING and timezone.now() - job.updated_at > STALE:
        return Job.State.FAILED
    return str(job.state)


def error_of(job: Job, case: Case) -> str:
    """The failed job's message (it may name a document, so it was sealed)."""
    if not job.error_sealed:
        return ""
    plain = open_sealed(case._key(), bytes(job.error_sealed), **_bound(case, job))
    return plain.decode()


def result(case: Case, job: Job) -> files.StoredFile:
    """The finished job's document, opened."""
    return files.read(case.pk, job.file_id, key=case._key())


def reseal_errors(case: Case, old_key: bytes) -> None:
    """Seal the case's job errors again under its new data key (``refugio keys rotate
    --data-keys``, inside the transaction that commits the new key)."""
    for job in Job.objects.filter(case=case).exclude(error_sealed=b""):
        plain = open_sealed(old_key, bytes(job.error_sealed), **_bound(case, job))
        job.error_sealed = seal(case._key(), plain, **_bound(case, job))
        job.save(update_fields=["error_sealed"])


# --- running ------------------------------------------------------------------------------------


# One build at a time in each process: a packet holds its case's evidence in memory and keeps
# a core busy for a second or more; more at once would starve the pages being served.
_ONE_AT_A_TIME = threading.BoundedSemaphore(1)


def _in_thread(job_id: uuid.UUID, case: Case, work: Work) -> None:
    try:
        if not _ONE_AT_A_TIME.acquire(blocking=False):
            Progress(job_id)("waiting", 0, 0)  # the page says it waits its turn
            _ONE_AT_A_TIME.acquire()
        try:
            _run(job_id, case, work)
        finally:
            _ONE_AT_A_TIME.release()
    except BaseException:
        # Through the app's logger and its filter (never Python's default thread hook, which
        # would print the whole traceback, values included, to stderr).
        log.exception("job %s failed after its work", job_id)
    finally:
        # The thread's own connections, closed now: CONN_MAX_AGE would otherwise keep them
        # open until garbage collection, which no thread of this one will ever trigger.
        connections.close_all()


def _run(job_id: uuid.UUID, case: Case, work: Work) -> None:
    try:
        document = work(Progress(job_id))
    except RefugioError as exc:
        _fail(job_id, case.pk, str(exc))
        return
    except Exception:
        log.exception("job %s failed", job_id)  # the traceback names code, never content
        _fail(job_id, case.pk, "an unexpected error; the administrator can see it in the log")
        return
    _finish(job_id, case.pk, document)


def _finish(job_id: uuid.UUID, case_id: uuid.UUID, document: Checked) -> None:
    """Store the document and mark the job done, or drop it: the case may have been deleted,
    its key rotated, or the job replaced while it ran."""
    old: list[Job] = []
    with one_writer(), transaction.atomic():
        # The row goes with its case: none when the case was deleted meanwhile.
        job = Job.objects.select_related("case").filter(pk=job_id, state=Job.State.RUNNING).first()
        if job is None:
            return  # nothing stored: no folder of a deleted case comes back
        # Under the case's key as committed now (a rotation may have run meanwhile).
        file_id = files.store(case_id, document, key=job.case._key())
        Job.objects.filter(pk=job_id).update(
            state=Job.State.DONE, file_id=file_id, updated_at=timezone.now()
        )
        # Only the newest finished document is kept: an old packet is a copy nobody needs.
        old = list(
            Job.objects.filter(case_id=case_id, kind=job.kind)
            .exclude(pk=job_id)
            .exclude(state=Job.State.RUNNING)
        )
        Job.objects.filter(pk__in=[j.pk for j in old]).delete()
    for stale in old:
        if stale.file_id:
            files.delete(case_id, stale.file_id)


def discard(case: Case, kind: str) -> None:
    """Forget the case's finished jobs of ``kind`` and their documents (what they copied has
    changed: a deleted piece of evidence must not live on in an old packet)."""
    with one_writer(), transaction.atomic():
        gone = list(Job.objects.filter(case=case, kind=kind).exclude(state=Job.State.RUNNING))
        Job.objects.filter(pk__in=[j.pk for j in gone]).delete()
    for job in gone:
        if job.file_id:
            files.delete(case.pk, job.file_id)


def _fail(job_id: uuid.UUID, case_id: uuid.UUID, message: str) -> None:
    with one_writer(), transaction.atomic():
        job = Job.objects.select_related("case").filter(pk=job_id, state=Job.State.RUNNING).first()
        if job is None:
            return
        sealed = seal(job.case._key(), message.encode(), **_bound(job.case, job))
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, error_sealed=sealed, updated_at=timezone.now()
        )


def _running(case: Case, kind: str) -> Job | None:
    job = Job.objects.filter(case=case, kind=kind, state=Job.State.RUNNING).first()
    return job if job is not None and state_of(job) == Job.State.RUNNING else None


def _bound(case: Case, job: Job) -> dict[str, str]:
    return {"record": vault.record_of("case", case.pk), "field": f"job:{job.pk}:error"}
