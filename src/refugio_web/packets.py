"""The filing packet of a case on the web (issue 5, point 7): its checklist, the job that builds
it, and the ZIP file it made.

The packet is built by the core (``refugio.claim.filing.build_for_case``, as ``refugio packet``
builds it) from the case's answers (the Application built from the draft), its dossier, the
evidence files from the sealed store and the blank form, in a background job
(``refugio_web.jobs``) that reports its stages and seals the ZIP into the file store under the
case's key: the packet is as confidential as the evidence in it (8 CFR 208.6). Only one packet
job of a case runs at a time (``jobs.start``), and only the newest packet is kept.

The checklist and the fee are shown before anything is built (``refugio.claim.packet.preview``:
no file is read, nothing is typeset). The packages of a finished packet, with their pages, are
read from the ``checklist.json`` inside its ZIP, so the job row holds nothing about the case.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404

from refugio.claim.filing import build_for_case
from refugio.claim.model import Dossier
from refugio.claim.packet import Checklist, ChecklistItem, preview
from refugio.editions import DEFAULT_EDITION, get_edition
from refugio.errors import RefugioError
from refugio.interview import build
from refugio.model import Application
from refugio.uploads import Checked, Kind
from refugio_web import dossiers, files, jobs
from refugio_web.errors import OutputError
from refugio_web.models import Case, Job, User

__all__ = [
    "KIND",
    "Overview",
    "Package",
    "Person",
    "Status",
    "blank_form",
    "overview",
    "packet_zip",
    "start",
    "status",
]

KIND = "packet"


@dataclass(frozen=True)
class Package:
    """One package of a finished packet, as its checklist lists it."""

    file: str
    title: str
    pages: int


@dataclass(frozen=True)
class Status:
    """Where the case's newest packet job is: ``none``, ``running``, ``done`` or ``failed``."""

    state: str
    job: Job | None = None
    stage: str = ""
    done: int = 0
    total: int = 0
    error: str = ""  # a failed job's message (opened: it may name a document)
    packages: tuple[Package, ...] = ()


@dataclass(frozen=True)
class Person:
    """The checklist of one person: what Refugio cannot print, and how much is still to do."""

    name: str  # "CEN, Liheng (applicant)"
    items: tuple[ChecklistItem, ...]

    @property
    def to_provide(self) -> int:
        return sum(1 for item in self.items if item.status == "to provide")


@dataclass(frozen=True)
class Overview:
    """What the packet page shows: the checklist and fee (or why they cannot be known yet)
    and the newest packet's state."""

    status: Status
    checklist: Checklist | None = None
    people: tuple[Person, ...] = ()
    problem: str = ""  # in English: the web's own message (in the catalogues) or the core's


def overview(case: Case, today: dt.date) -> Overview:
    """The packet page of ``case`` for a packet filed ``today``."""
    state = status(case)
    try:
        ahead = preview(_application(case), _dossier(case), today)
    except RefugioError as exc:  # an unreadable answer, a broken dossier, no fee known
        return Overview(state, problem=str(exc))
    people: dict[str, list[ChecklistItem]] = {}
    for item in ahead.items:
        people.setdefault(item.person, []).append(item)
    rows = tuple(Person(name, tuple(items)) for name, items in people.items())
    return Overview(state, ahead, rows)


def status(case: Case) -> Status:
    """The state of the case's newest packet, with the packages of a finished one."""
    job = jobs.latest(case, KIND)
    if job is None:
        return Status("none")
    state = jobs.state_of(job)
    if state == Job.State.DONE:
        return Status(state, job, packages=_listed(case, job))
    if state == Job.State.FAILED:
        return Status(state, job, error=jobs.error_of(job, case))
    return Status(state, job, job.stage, job.done, job.total)


# The packages of the last few finished packets, by job and file: listing them means opening
# the whole sealed ZIP, which a page that refreshes should not do at every view. Read only
# after the access funnel let the user reach the case; in this process's memory only.
_LISTED: OrderedDict[tuple[uuid.UUID, str], tuple[Package, ...]] = OrderedDict()
_LISTED_MAX = 16


def _listed(case: Case, job: Job) -> tuple[Package, ...]:
    key = (job.pk, job.file_id)
    if key not in _LISTED:
        _LISTED[key] = _packages(jobs.result(case, job).data)
        while len(_LISTED) > _LISTED_MAX:
            _LISTED.popitem(last=False)
    _LISTED.move_to_end(key)
    return _LISTED[key]


def start(user: User, case: Case, today: dt.date) -> Job:
    """Start building the case's packet for filing on ``today`` (or return the job already
    running). OutputError if an answer cannot be read yet: the form would be filled wrongly."""
    application, dossier = _application(case), _dossier(case)
    case_id, key = case.pk, case._key()
    blank = blank_form()

    def read(file_id: str) -> bytes:
        return files.read(case_id, file_id, key=key).data

    def work(progress: jobs.Progress) -> Checked:
        packet = build_for_case(application, dossier, read, blank, today, progress=progress)
        return Checked(Kind.ZIP, packet.zip)

    return jobs.start(user, case, KIND, work)


def packet_zip(case: Case) -> files.StoredFile:
    """The ZIP of the case's newest finished packet; 404 if there is none."""
    job = jobs.latest(case, KIND)
    if job is None or jobs.state_of(job) != Job.State.DONE:
        raise Http404
    return jobs.result(case, job)


def blank_form(edition: str = DEFAULT_EDITION) -> Path:
    """The blank I-589 of ``edition``, where ``cases.filled_form`` finds it (FORMS_DIR)."""
    return Path(settings.FORMS_DIR) / get_edition(edition).filename


def _application(case: Case) -> Application:
    built = build(case.draft)
    if built.app is None or built.errors:
        # As cases.filled_form: an answer that cannot be read would be left blank on the form.
        raise OutputError("some answers cannot be read yet")
    return built.app


def _dossier(case: Case) -> Dossier:
    return dossiers.dossier_of(case)


def _packages(archive: bytes) -> tuple[Package, ...]:
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as z:
            listing: list[dict[str, Any]] = json.loads(z.read("checklist.json"))["packages"]
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:  # made by us: never
        raise RefugioError("the packet's checklist cannot be read") from exc
    return tuple(Package(p["file"], p["title"], int(p["pages"])) for p in listing)
