"""Background jobs (refugio_web.jobs): progress on the row, the result sealed in the file store,
errors sealed, a stale job replaced, only the newest document kept."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from refugio.errors import PacketError
from refugio.uploads import Checked, Kind
from refugio_web import cases, files, jobs
from refugio_web.models import AccessEvent, Case, Job, User

pytestmark = pytest.mark.django_db

SECRET_NAME = b"Fictional-Orvalle-Exhibit"


@pytest.fixture(autouse=True)
def files_dir(settings: Any, tmp_path: Path) -> Path:
    settings.REFUGIO_FILES_DIR = tmp_path / "files"
    return tmp_path / "files"


def _work(stages: list[tuple[str, int, int]]) -> jobs.Work:
    def work(progress: jobs.Progress) -> Checked:
        for stage, done, total in [("exhibits", 1, 3), ("packages", 3, 3)]:
            progress(stage, done, total)
            row = Job.objects.get(pk=progress.job_id)
            stages.append((row.stage, row.done, row.total))
        return Checked(Kind.ZIP, b"PK" + SECRET_NAME)

    return work


def test_it_records_each_stage_and_seals_the_result(alice: User, case: Case) -> None:
    seen: list[tuple[str, int, int]] = []
    job = jobs.start(alice, case, "packet", _work(seen))
    assert seen == [("exhibits", 1, 3), ("packages", 3, 3)]
    assert jobs.state_of(job) == "done"
    stored = jobs.result(case, job)
    assert (stored.kind, stored.data) == (Kind.ZIP, b"PK" + SECRET_NAME)
    on_disk = (Path(files.files_dir()) / str(case.pk) / job.file_id).read_bytes()
    assert SECRET_NAME not in on_disk
    assert AccessEvent.objects.filter(action="packet-start", case_id=case.pk).count() == 1


def test_it_keeps_only_the_newest_document(alice: User, case: Case) -> None:
    first = jobs.start(alice, case, "packet", _work([]))
    second = jobs.start(alice, case, "packet", _work([]))
    assert list(Job.objects.filter(case=case)) == [second]
    assert not (Path(files.files_dir()) / str(case.pk) / first.file_id).exists()


def test_it_seals_the_error_of_a_failed_job(alice: User, case: Case) -> None:
    def broken(progress: jobs.Progress) -> Checked:
        raise PacketError("evidence x3 (Orvalle-passport.pdf): the PDF is encrypted")

    job = jobs.start(alice, case, "packet", broken)
    assert jobs.state_of(job) == "failed"
    assert b"Orvalle" not in bytes(Job.objects.get(pk=job.pk).error_sealed)
    assert jobs.error_of(job, case) == "evidence x3 (Orvalle-passport.pdf): the PDF is encrypted"


def test_it_hides_an_unexpected_error_from_the_page(alice: User, case: Case) -> None:
    def crashing(progress: jobs.Progress) -> Checked:
        raise ZeroDivisionError

    job = jobs.start(alice, case, "packet", crashing)
    assert jobs.state_of(job) == "failed"
    assert "unexpected" in jobs.error_of(job, case)


def test_it_counts_a_job_that_went_quiet_as_failed_and_starts_another(
    alice: User, case: Case
) -> None:
    stuck = Job.objects.create(case=case, kind="packet", started_by=alice)
    assert jobs.start(alice, case, "packet", _work([])) == stuck  # still running: not twice
    Job.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    stuck.refresh_from_db()
    assert jobs.state_of(stuck) == "failed"
    fresh = jobs.start(alice, case, "packet", _work([]))
    assert fresh != stuck and jobs.state_of(fresh) == "done"


def test_it_reseals_errors_when_the_case_gets_a_new_data_key(alice: User, case: Case) -> None:
    def broken(progress: jobs.Progress) -> Checked:
        raise PacketError("evidence x1: missing")

    job = jobs.start(alice, case, "packet", broken)
    cases.rotate_keys(new_data_keys=True)
    fresh = Case.objects.get(pk=case.pk)
    assert jobs.error_of(Job.objects.get(pk=job.pk), fresh) == "evidence x1: missing"


@pytest.mark.django_db(transaction=True)
def test_it_runs_in_a_thread_while_the_request_returns(
    settings: Any, alice: User, case: Case
) -> None:
    settings.REFUGIO_JOBS_INLINE = False

    def slow(progress: jobs.Progress) -> Checked:
        time.sleep(0.3)
        progress("packages", 1, 1)
        return Checked(Kind.ZIP, b"PK")

    job = jobs.start(alice, case, "packet", slow)
    assert jobs.state_of(job) == "running"  # returned before the work was done
    # Waited for as a thread, not by reading the row: the test database is SQLite in memory
    # with a shared cache, which locks whole tables, so a read while the thread writes would
    # make the thread's write fail (a file database in WAL mode lets both go on).
    [thread] = [t for t in threading.enumerate() if t.name == f"refugio-job-{job.pk}"]
    thread.join(timeout=10)
    assert not thread.is_alive()
    finished = Job.objects.get(pk=job.pk)
    assert (jobs.state_of(finished), finished.stage) == ("done", "packages")


def test_it_stores_nothing_for_a_case_deleted_while_its_job_ran(
    alice: User, case: Case, files_dir: Path
) -> None:
    def deleting(progress: jobs.Progress) -> Checked:
        cases.delete_case(alice, case)  # an admin deletes the case mid-build
        return Checked(Kind.ZIP, b"PK" + SECRET_NAME)

    jobs.start(alice, case, "packet", deleting)
    assert not (files_dir / str(case.pk)).exists()  # no folder of the deleted case comes back
    assert not Job.objects.filter(case_id=case.pk).exists()


def test_it_stores_the_result_under_the_key_committed_when_the_job_ends(
    alice: User, case: Case
) -> None:
    def rotating(progress: jobs.Progress) -> Checked:
        cases.rotate_keys(new_data_keys=True)  # a rotation runs while the packet builds
        return Checked(Kind.ZIP, b"PK" + SECRET_NAME)

    job = jobs.start(alice, case, "packet", rotating)
    fresh = Case.objects.get(pk=case.pk)
    assert jobs.result(fresh, Job.objects.get(pk=job.pk)).data == b"PK" + SECRET_NAME


def test_it_never_deletes_a_job_still_running_when_another_finishes(
    alice: User, case: Case
) -> None:
    quiet = Job.objects.create(case=case, kind="packet", started_by=alice)
    Job.objects.filter(pk=quiet.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    done = jobs.start(alice, case, "packet", _work([]))  # the quiet one counts as failed...
    assert jobs.state_of(done) == "done"
    assert Job.objects.filter(pk=quiet.pk).exists()  # ...but is not deleted under its feet


def test_it_discards_an_old_packet_when_its_evidence_changes(alice: User, case: Case) -> None:
    job = jobs.start(alice, case, "packet", _work([]))
    jobs.discard(case, "packet")
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not (Path(files.files_dir()) / str(case.pk) / job.file_id).exists()


@pytest.mark.django_db(transaction=True)
def test_it_builds_one_packet_at_a_time_and_says_the_other_waits(
    settings: Any, alice: User, case: Case, case_b: Case
) -> None:
    settings.REFUGIO_JOBS_INLINE = False
    release = threading.Event()

    def held(progress: jobs.Progress) -> Checked:
        release.wait(10)
        return Checked(Kind.ZIP, b"PK")

    first = jobs.start(alice, case, "packet", held)
    time.sleep(0.3)  # the first build holds its turn
    second = jobs.start(alice, case_b, "packet", _work([]))
    time.sleep(0.3)  # both threads now wait (on the event, on the turn): the rows are quiet
    assert Job.objects.get(pk=second.pk).stage == "waiting"
    names = {f"refugio-job-{first.pk}", f"refugio-job-{second.pk}"}
    threads = [t for t in threading.enumerate() if t.name in names]
    assert len(threads) == 2
    release.set()
    for thread in threads:
        thread.join(timeout=10)
        assert not thread.is_alive()
    assert [jobs.state_of(Job.objects.get(pk=j.pk)) for j in (first, second)] == ["done", "done"]
