"""Producing every member's statement for an issued pool: a run, its restarts, finishing it, retries.

A run is a row (StatementRun) with one Statement row per member; rendering one statement is
`claims.services.residuals.statements`. Delivery is at least once, so every step is idempotent:

- starting a run twice for a pool returns the same run (the pool row is locked while checking);
- the run finishes with its RUNNING -> DONE/DONE_WITH_FAILURES transition, which happens once,
  and only then are members emailed (once per statement, see `statement_notify_ready`);
- restarting re-queues only what is still PENDING, after sweeping files left by dead workers.

Every render batch ends by trying to finish its run, so the batch that completes a run finishes it;
`statement_runs_check`, run periodically, restarts runs whose workers died, finishes any run left
complete but RUNNING, and starts the run of a pool issued without one.
"""

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from claims.enums import PoolStatus, StatementRunStatus, StatementStatus
from claims.models import ResidualPool, Statement, StatementRun
from claims.selectors.residuals.runs import current_statements, pool_member_ids
from claims.services.residuals.statements import (
    statement_files_sweep,
    statement_number,
    statement_render,
    statements_queue_render,
)
from claims.services.residuals.transitions import LockedRowChanged, statement_run_transition, statement_transition
from members.models import User
from portal.celery import task_queue_in_batches

logger = logging.getLogger(__name__)

NOTIFY_BATCH_SIZE = 100


# --- starting and restarting a run -------------------------------------------------------------


def statement_run_start(*, pool: ResidualPool, started_by: User | None) -> StatementRun:
    """Create the pool's run with one PENDING statement per member and queue the renders after commit.

    Idempotent: if the pool already has a run, that run is returned and nothing is queued
    (use `statement_run_restart` to re-queue an interrupted run).
    """
    with transaction.atomic():
        pool = ResidualPool.objects.select_for_update().get(pk=pool.pk)
        if pool.status != PoolStatus.ISSUED:
            raise ValueError("Statements are produced only for an issued pool.")
        run = pool.runs.order_by("-started_at", "-pk").first()
        if run is not None:
            return run
        run = StatementRun.objects.create(pool=pool, started_by=started_by)
        Statement.objects.bulk_create(
            [
                Statement(
                    run=run,
                    member_id=member_id,
                    version=1,
                    number=statement_number(pool_id=pool.pk, member_id=member_id, version=1),
                )
                for member_id in pool_member_ids(pool)
            ],
            batch_size=1000,
        )
        statement_ids = list(run.statements.order_by("pk").values_list("pk", flat=True))
        statements_queue_render(statement_ids=statement_ids)
        if not statement_ids:
            run_finish_if_complete(run)
    logger.info("Statement run %s started for pool %s: %s statements", run.pk, pool.pk, len(statement_ids))
    return run


def statement_run_restart(*, run: StatementRun) -> int:
    """Re-queue every PENDING statement of the run, after sweeping files left by dead workers.

    What an operator (or a periodic check) does after workers died mid-run: with acks_late and
    task_reject_on_worker_lost, a task of a SIGKILLed worker is redelivered by Redis only after
    the visibility timeout (an hour); re-queueing is safe because rendering is idempotent.
    Returns how many statements were queued.
    """
    statement_files_sweep(run=run)
    with transaction.atomic():
        locked = StatementRun.objects.select_for_update().get(pk=run.pk)
        statement_ids = list(
            locked.statements.filter(status=StatementStatus.PENDING).order_by("pk").values_list("pk", flat=True)
        )
        # A finished run with statements still waiting: running again until they are rendered.
        if statement_ids and locked.status != StatementRunStatus.RUNNING:
            _run_again(locked)
        statements_queue_render(statement_ids=statement_ids)
    run_finish_if_complete(run)
    return len(statement_ids)


def _run_again(locked: StatementRun) -> None:
    """A finished run, locked by the caller, back to RUNNING."""
    if not statement_run_transition(run=locked, to=StatementRunStatus.RUNNING):
        raise LockedRowChanged(f"Statement run {locked.pk} changed while it was locked.")


def statement_runs_check(*, stalled_after: datetime.timedelta = datetime.timedelta(minutes=10)) -> list[int]:
    """For a periodic task: restart running runs that have made no progress for `stalled_after`
    (their workers died), finish runs that are complete, and start the run of a pool issued that
    long ago without one (the process died between issuing and starting it). Returns the ids of
    the runs restarted or started."""
    restarted = []
    cutoff = timezone.now() - stalled_after
    for run in StatementRun.objects.filter(status=StatementRunStatus.RUNNING):
        last = run.statements.aggregate(last=Max("rendered_at"))["last"] or run.started_at
        if last < cutoff and run.started_at < cutoff:
            statement_run_restart(run=run)
            restarted.append(run.pk)
        else:
            run_finish_if_complete(run)
    never_started = ResidualPool.objects.filter(status=PoolStatus.ISSUED, issued_at__lt=cutoff, runs__isnull=True)
    for pool in never_started:
        run = statement_run_start(pool=pool, started_by=None)
        logger.warning("Pool %s was issued without a statement run: started run %s", pool.pk, run.pk)
        restarted.append(run.pk)
    return restarted


def statements_render(*, statement_ids: Iterable[int]) -> None:
    """Render a batch, then finish the run(s) if this batch completed them."""
    statement_ids = list(statement_ids)
    run_ids = set(Statement.objects.filter(pk__in=statement_ids).values_list("run_id", flat=True).distinct())
    for statement_id in statement_ids:
        statement_render(statement_id=statement_id)
    for run in StatementRun.objects.filter(pk__in=run_ids, status=StatementRunStatus.RUNNING):
        run_finish_if_complete(run)


# --- finishing ---------------------------------------------------------------------------------


def run_finish_if_complete(run: StatementRun) -> bool:
    """Mark the run finished once nothing is PENDING (exactly once), then email the members whose
    statements became ready since the run last finished. True if this call finished it."""
    with transaction.atomic():
        locked = StatementRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != StatementRunStatus.RUNNING:
            return False
        counts = current_statements(locked).aggregate(
            pending=Count("pk", filter=Q(status=StatementStatus.PENDING)),
            failed=Count("pk", filter=Q(status=StatementStatus.FAILED)),
        )
        if counts["pending"]:
            return False
        status = StatementRunStatus.DONE_WITH_FAILURES if counts["failed"] else StatementRunStatus.DONE
        previous_finish = locked.finished_at
        if not statement_run_transition(run=locked, to=status):
            return False
        ready = current_statements(locked).filter(status=StatementStatus.DONE)
        if previous_finish is not None:  # after a retry or reissue: only the statements new since
            ready = ready.filter(rendered_at__gt=previous_finish)
        statement_ids = list(ready.order_by("pk").values_list("pk", flat=True))
        _queue_notify_on_commit(statement_ids)
    run.status, run.finished_at = locked.status, locked.finished_at
    logger.info("Statement run %s finished: %s", run.pk, status)
    return True


def _queue_notify_on_commit(statement_ids: list[int]) -> None:
    task_queue_in_batches(
        "claims.statements_notify", ids=statement_ids, batch_size=NOTIFY_BATCH_SIZE, ids_as="statement_ids"
    )


# --- staff actions ----------------------------------------------------------------------------


def run_retry_failed(run: StatementRun) -> int:
    """Put the run's FAILED statements back to PENDING (attempts reset) and queue them. Returns how many."""
    with transaction.atomic():
        locked = StatementRun.objects.select_for_update().get(pk=run.pk)
        failed = current_statements(locked).filter(status=StatementStatus.FAILED).order_by("pk").only("pk", "status")
        # One conditional update each: a statement whose late render finished meanwhile stays DONE.
        statement_ids = [
            statement.pk
            for statement in failed
            if statement_transition(statement=statement, to=StatementStatus.PENDING)
        ]
        if not statement_ids:
            return 0
        if locked.status != StatementRunStatus.RUNNING:
            _run_again(locked)
        statements_queue_render(statement_ids=statement_ids)
    run.status = locked.status
    return len(statement_ids)
