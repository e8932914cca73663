"""A real worker is SIGKILLed in the middle of a statement run; the run still ends right.

With acks_late and task_reject_on_worker_lost, Redis would hand the killed worker's unacknowledged
tasks to another worker only after the visibility timeout (an hour in our settings): far too slow
for a test, and an operator would not wait either. So, as an operator (or the periodic
`claims.statement_runs_check` task) does, the test restarts the run: `statement_run_restart`
sweeps files left by the dead worker and re-queues every statement still PENDING. Rendering is
idempotent, so statements that were also still queued are simply skipped the second time.
"""

import os
import signal
import time
from pathlib import Path

from django.conf import settings

from claims.enums import StatementRunStatus, StatementStatus
from claims.models import Statement, StatementRun
from claims.selectors.residuals.runs import run_progress
from claims.services.residuals.statement_runs import statement_run_restart, statement_run_start
from portal.celery import app
from tests.celery_worker import celery_worker
from tests.claims.residuals.statement_builders import bulk_pool

MEMBERS = 80
WAIT_SECONDS = 180


def statement_files() -> set[str]:
    folder = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    statements = folder / "statements"
    return (
        {str(path.relative_to(folder)) for path in statements.rglob("*") if path.is_file()}
        if statements.exists()
        else set()
    )


def wait_for(condition, *, seconds: float, step: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"Timed out after {seconds} s")


def test_a_worker_killed_mid_run_still_ends_with_one_statement_per_member_and_no_orphans(transactional_db):
    app.control.purge()  # nothing left over in this test Redis database from earlier tests
    pool, expected = bulk_pool(members=MEMBERS, lines_per_member=2)
    run = None
    with celery_worker(concurrency=2) as worker:
        run = statement_run_start(pool=pool, started_by=None)
        # Kill once a good part, but not all, is done: the worker and both its children at once.
        wait_for(
            lambda: run.statements.filter(status=StatementStatus.DONE).count() >= MEMBERS // 4,
            seconds=WAIT_SECONDS,
            step=0.05,
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    progress = run_progress(run)
    assert progress.remaining > 0, "the worker was killed mid-run"
    run.refresh_from_db()
    assert run.status == StatementRunStatus.RUNNING

    with celery_worker(concurrency=2):
        requeued = statement_run_restart(run=run)
        assert requeued == progress.remaining
        wait_for(
            lambda: StatementRun.objects.get(pk=run.pk).status != StatementRunStatus.RUNNING,
            seconds=WAIT_SECONDS,
            step=0.2,
        )

    run.refresh_from_db()
    assert run.status == StatementRunStatus.DONE
    current = list(Statement.objects.filter(run=run).exclude(status=StatementStatus.SUPERSEDED))
    assert sorted(s.member_id for s in current) == sorted(expected)  # exactly one per member
    assert {s.status for s in current} == {StatementStatus.DONE}
    referenced = {s.file.name for s in current}
    assert all(Path(s.file.path).is_file() for s in current)
    assert statement_files() == referenced, "no orphaned files, none missing"
    assert {s.member_id: s.total_payable for s in current} == expected
    assert run_progress(run).total_payable == sum(expected.values())
