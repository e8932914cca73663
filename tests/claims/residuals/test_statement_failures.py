"""No statement and no run sticks: whatever fails ends FAILED with its reason, and the run finishes.

Staff read the reason on the run page and retry; members are emailed only for statements that are ready.
"""

import datetime
import sys
import time

import pytest
from django.core import mail
from django.urls import reverse

from claims.enums import StatementRunStatus, StatementStatus
from claims.models import ResidualPool, Statement
from claims.services.residuals.statement_runs import (
    run_retry_failed,
    statement_run_start,
    statement_runs_check,
    statements_render,
)
from claims.services.residuals.statements import MAX_ATTEMPTS
from tests import factories
from tests.claims.residuals.statement_builders import add_lines, make_issued_pool


@pytest.fixture
def pool(db, member, other_member):
    factories.make_union_membership(member, "SAG-AFTRA")
    factories.make_union_membership(other_member, "SAG-AFTRA")
    pool = make_issued_pool()
    add_lines(pool, member, ["120.50"])
    add_lines(pool, other_member, ["300.00"])
    return pool


@pytest.fixture
def broken_disk(settings, tmp_path):
    """The statements folder cannot be created: its parent is a file (a broken disk, in effect).
    Calling the fixture's value repairs it."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    working = settings.STORAGES
    settings.STORAGES = {**working, "default": {**working["default"], "OPTIONS": {"location": blocker / "private"}}}

    def repair() -> None:
        settings.STORAGES = working

    return repair


def test_a_statement_whose_file_cannot_be_stored_fails_with_the_reason_and_the_run_finishes(
    pool, verifier, broken_disk, celery_eager, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        run = statement_run_start(pool=pool, started_by=verifier)

    run.refresh_from_db()
    assert run.status == StatementRunStatus.DONE_WITH_FAILURES
    statements = list(run.statements.all())
    assert {s.status for s in statements} == {StatementStatus.FAILED}
    assert all(s.error.startswith("The PDF could not be stored: NotADirectoryError") for s in statements)
    assert not any(s.file for s in statements)
    assert mail.outbox == []

    client.force_login(factories.make_verifier(email="sag@union.example", unions=("SAG-AFTRA",)))
    page = client.get(reverse("claims:run_detail", args=[run.pk])).content.decode()
    assert "2 statements failed" in page and "The PDF could not be stored" in page


def test_after_a_storage_failure_a_retry_produces_the_statements(
    pool, verifier, broken_disk, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = statement_run_start(pool=pool, started_by=verifier)
    assert mail.outbox == []
    broken_disk()  # repaired

    with django_capture_on_commit_callbacks(execute=True):
        assert run_retry_failed(run) == 2

    run.refresh_from_db()
    assert run.status == StatementRunStatus.DONE
    assert {(s.status, s.error, bool(s.file)) for s in run.statements.all()} == {(StatementStatus.DONE, "", True)}
    assert len(mail.outbox) == 2


def test_a_statement_whose_worker_keeps_dying_is_given_up_and_the_run_finishes(pool, member, other_member, verifier):
    run = statement_run_start(pool=pool, started_by=verifier)  # queued renders lost
    dying = run.statements.get(member=other_member)
    # MAX_ATTEMPTS deliveries began rendering it and none finished: each worker was killed.
    Statement.objects.filter(pk=dying.pk).update(attempts=MAX_ATTEMPTS)

    statements_render(statement_ids=list(run.statements.values_list("pk", flat=True)))

    dying.refresh_from_db()
    run.refresh_from_db()
    assert dying.status == StatementStatus.FAILED and dying.error.startswith(f"Gave up after {MAX_ATTEMPTS} attempts")
    assert run.statements.get(member=member).status == StatementStatus.DONE
    assert run.status == StatementRunStatus.DONE_WITH_FAILURES and run.finished_at is not None


def test_the_periodic_check_starts_the_run_of_a_pool_issued_without_one(
    pool, celery_eager, django_capture_on_commit_callbacks
):
    """The process died between issuing the pool and starting its run (the run starts after commit)."""
    assert statement_runs_check() == []  # issued just now: its run may still be starting
    ResidualPool.objects.filter(pk=pool.pk).update(issued_at=pool.issued_at - datetime.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        started = statement_runs_check()

    run = pool.runs.get()
    assert started == [run.pk]
    run.refresh_from_db()
    assert run.status == StatementRunStatus.DONE and run.started_by is None
    assert set(run.statements.values_list("status", flat=True)) == {StatementStatus.DONE}
    assert statement_runs_check() == []  # once


def test_render_time_limit_holds_when_the_signal_lands_in_a_finaliser(monkeypatch):
    """Python drops an exception raised inside `__del__`: a timeout that lands there must still stop
    the render (it did not, and a 600-line statement rendered past its limit)."""
    from claims.services.residuals.statements import StatementRenderTimeout, _time_limit

    # Python hands a dropped exception to sys.unraisablehook; a plain list keeps the repeating timer
    # from landing inside pytest's own, much longer, handler.
    dropped: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: dropped.append(unraisable.exc_type))

    class DroppedWhileCollected:
        def __del__(self) -> None:
            time.sleep(0.3)  # the limit passes here, inside the finaliser

    with pytest.raises(StatementRenderTimeout, match=r"longer than 0\.1 seconds"), _time_limit(0.1):
        DroppedWhileCollected()
    assert StatementRenderTimeout in dropped  # the first timeout really was swallowed
