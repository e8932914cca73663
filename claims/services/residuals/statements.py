"""Producing members' residual statements for an issued pool: a run, one job per member, progress, retries.

A run is a row (StatementRun) and every member's statement is a row (Statement); Celery only
carries statement ids. Delivery is at least once, so every step is idempotent:

- starting a run twice for a pool returns the same run (the pool row is locked while checking);
- a render skips a statement that is no longer PENDING, and its result is written with a
  conditional update (PENDING/FAILED -> DONE) under the statement's row lock, so of two workers
  rendering the same statement exactly one wins and the loser writes no file at all;
- the PDF file is written only while that row lock is held, named after the statement
  ("statements/<id>/<random>.pdf"), so a file for statement N that the row does not reference,
  seen while holding N's lock, can only be left by a worker that died (SIGKILL) between writing
  and committing: `statement_files_sweep` deletes exactly those ("no orphaned files");
- the run finishes with a conditional update RUNNING -> DONE/DONE_WITH_FAILURES, which
  happens once, and only then are members emailed (once per statement, see `statement_notify_ready`).

Each statement gets its own time limit (a SIGALRM timer around the render), so a pathological
statement fails alone inside a batch; one that kills its worker outright is given up after
MAX_ATTEMPTS deliveries.
"""

import contextlib
import datetime
import logging
import os
import secrets
import signal
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import FrameType
from typing import NoReturn

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from claims.enums import PoolStatus, StatementRunStatus, StatementStatus
from claims.models import AllocationLine, CarriedBalance, ResidualPool, Statement, StatementRun
from claims.pdf import render_statement_pdf
from claims.statement_data import StatementData, fingerprint, statement_data_for
from members.models import User
from portal.celery import task

logger = logging.getLogger(__name__)

BATCH_SIZE = 20  # statement ids per render task: ~2 ms of Celery overhead shared by 20 renders
RENDER_SECONDS_LIMIT = 30  # per statement; a render taking longer fails that statement alone
MAX_ATTEMPTS = 3  # deliveries of one statement that never finished (its worker died) before giving up
NOTIFY_BATCH_SIZE = 100
STATEMENTS_FOLDER = "statements"
RATE_WINDOW_SECONDS = 120  # the estimate of time left uses the rate over the last two minutes
FINISHED_RUN_STATES = {StatementRunStatus.DONE, StatementRunStatus.DONE_WITH_FAILURES}


class StatementRenderTimeout(Exception):
    """A statement took longer than RENDER_SECONDS_LIMIT to render."""


@dataclass(frozen=True, slots=True)
class RunProgress:
    total: int
    done: int
    failed: int
    remaining: int
    elapsed: datetime.timedelta
    seconds_left: int | None  # None until there is a rate to estimate from, and once finished
    finished: bool
    total_payable: Decimal

    @property
    def percent(self) -> int:
        return 100 if not self.total else (self.done + self.failed) * 100 // self.total

    @property
    def elapsed_seconds(self) -> int:
        return int(self.elapsed.total_seconds())

    @property
    def elapsed_text(self) -> str:
        return duration_text(self.elapsed_seconds)

    @property
    def time_left_text(self) -> str:
        return "" if self.seconds_left is None else "about " + duration_text(self.seconds_left)


def duration_text(seconds: int) -> str:
    """'45 seconds', '3 min 05 s', '1 h 02 min': short enough for a live progress line."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


# --- starting and restarting a run -------------------------------------------------------------


def statement_number(*, pool_id: int, member_id: int, version: int) -> str:
    return f"ST-{pool_id}-{member_id}-v{version}"


def pool_member_ids(pool: ResidualPool) -> list[int]:
    """Members who get a statement: anyone with a line in the pool or a balance carried in or out of it."""
    ids = set(AllocationLine.objects.filter(pool=pool).values_list("member_id", flat=True).distinct())
    ids |= set(
        CarriedBalance.objects.filter(Q(paid_in_pool=pool) | Q(from_pool=pool))
        .values_list("member_id", flat=True)
        .distinct()
    )
    return sorted(ids)


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
        _queue_renders_on_commit(statement_ids)
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
        StatementRun.objects.filter(pk=run.pk).exclude(status=StatementRunStatus.RUNNING).filter(
            statements__status=StatementStatus.PENDING
        ).update(status=StatementRunStatus.RUNNING)
        statement_ids = list(
            run.statements.filter(status=StatementStatus.PENDING).order_by("pk").values_list("pk", flat=True)
        )
        _queue_renders_on_commit(statement_ids)
    run_finish_if_complete(run)
    return len(statement_ids)


def statement_runs_check(*, stalled_after: datetime.timedelta = datetime.timedelta(minutes=10)) -> list[int]:
    """For a periodic task: restart running runs that have made no progress for `stalled_after`
    (their workers died), and finish runs that are complete. Returns the ids of the runs restarted."""
    restarted = []
    cutoff = timezone.now() - stalled_after
    for run in StatementRun.objects.filter(status=StatementRunStatus.RUNNING):
        last = run.statements.aggregate(last=Max("rendered_at"))["last"] or run.started_at
        if last < cutoff and run.started_at < cutoff:
            statement_run_restart(run=run)
            restarted.append(run.pk)
        else:
            run_finish_if_complete(run)
    return restarted


def _queue_in_batches_on_commit(task_name: str, statement_ids: list[int], batch_size: int) -> None:
    """After commit, send the task the ids in batches (Celery's overhead per task shared by a batch)."""
    for start in range(0, len(statement_ids), batch_size):
        task(task_name).delay_on_commit(statement_ids=statement_ids[start : start + batch_size])


def _queue_renders_on_commit(statement_ids: list[int]) -> None:
    _queue_in_batches_on_commit("claims.statements_render", statement_ids, BATCH_SIZE)


# --- rendering one statement -------------------------------------------------------------------


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise StatementRenderTimeout in this thread after `seconds` (only where signals work: the main
    thread of a worker process; elsewhere the task's hard time limit is the backstop)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> NoReturn:
        raise StatementRenderTimeout(f"Rendering took longer than {seconds:g} seconds.")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _locked(statement_id: int) -> QuerySet[Statement]:
    """The statement's row, locked FOR UPDATE: that row alone. Statement's default ordering joins
    its run, and a plain FOR UPDATE would lock the run's row too, making every worker of a run wait
    for the others' commits."""
    return Statement.objects.select_for_update(of=("self",)).filter(pk=statement_id).order_by()


def _statement_storage() -> Storage:
    return Statement._meta.get_field("file").storage


def _statement_file_name(statement_id: int) -> str:
    return f"{STATEMENTS_FOLDER}/{statement_id}/{secrets.token_hex(16)}.pdf"


def _statement_files_on_disk(statement_id: int) -> list[str]:
    """The files in this statement's own folder (a small listing, whatever the size of the run)."""
    try:
        _, names = _statement_storage().listdir(f"{STATEMENTS_FOLDER}/{statement_id}")
    except FileNotFoundError:
        return []
    return [f"{STATEMENTS_FOLDER}/{statement_id}/{name}" for name in names]


def _statement_ids_with_files() -> set[int]:
    try:
        folders, _ = _statement_storage().listdir(STATEMENTS_FOLDER)
    except FileNotFoundError:
        return set()
    return {int(folder) for folder in folders if folder.isdigit()}


def _delete_unreferenced(statement_id: int, keep: str) -> int:
    """Delete files of this statement other than `keep`. Call only while holding the row lock."""
    storage = _statement_storage()
    stale = [name for name in _statement_files_on_disk(statement_id) if name != keep]
    for name in stale:
        storage.delete(name)
    return len(stale)


def statement_files_sweep(*, run: StatementRun) -> int:
    """Delete statement files of this run that no row references (left by a worker killed between
    writing a file and committing). Safe while renders are running: a file is only written under
    its statement's row lock, which this takes too."""
    on_disk = _statement_ids_with_files()
    run_ids = set(run.statements.filter(pk__in=list(on_disk)).values_list("pk", flat=True))
    deleted = 0
    for statement_id in sorted(run_ids):
        with transaction.atomic():
            row = _locked(statement_id).values_list("file", flat=True).first()
            if row is not None:
                deleted += _delete_unreferenced(statement_id, keep=row)
    if deleted:
        logger.warning("Statement run %s: deleted %s orphaned statement files", run.pk, deleted)
    return deleted


def _statement_mark_failed(statement_id: int, error: str) -> bool:
    return bool(
        Statement.objects.filter(pk=statement_id, status=StatementStatus.PENDING).update(
            status=StatementStatus.FAILED, error=error[:2000]
        )
    )


def statement_render(*, statement_id: int) -> bool:
    """Render one statement's PDF and mark it DONE. True if this call made it DONE.

    Skips a statement that is no longer PENDING (already done by another delivery, failed, or
    superseded). A render error or time-out marks it FAILED with the error; it never raises for
    a problem with the statement itself, so one bad statement does not stop the batch.
    """
    # Count the attempt first (committed), so a statement that kills its worker every time is given up.
    # The count is read back in the same transaction as the update, whose row lock makes concurrent
    # deliveries take turns: each sees its own number, so duplicates running side by side are not
    # taken for attempts that died.
    with transaction.atomic():
        claimed = Statement.objects.filter(pk=statement_id, status=StatementStatus.PENDING).update(
            attempts=F("attempts") + 1
        )
        if not claimed:
            return False
        statement = Statement.objects.select_related("run__pool", "member__user").get(pk=statement_id)
    if statement.attempts > MAX_ATTEMPTS:
        _statement_mark_failed(
            statement_id,
            f"Gave up after {MAX_ATTEMPTS} attempts that never finished (the worker stopped while rendering).",
        )
        return False
    try:
        with _time_limit(RENDER_SECONDS_LIMIT):
            data = statement_data_for(statement)
            digest = fingerprint(data)
            pdf = render_statement_pdf(data, data_fingerprint=digest)
    except Exception as error:  # noqa: BLE001 - any failure of one statement is recorded on it
        logger.warning("Statement %s failed to render: %s", statement_id, error, exc_info=True)
        _statement_mark_failed(statement_id, f"{type(error).__name__}: {error}")
        return False
    return _statement_store(statement_id, pdf=pdf, fingerprint=digest, total=_data_total(data))


def _data_total(data: StatementData) -> Decimal:
    return Decimal(data.total_payable)


def _statement_store(statement_id: int, *, pdf: bytes, fingerprint: str, total: Decimal) -> bool:
    """Write the file and mark the statement DONE, both under its row lock; lose quietly to another worker."""
    storage = _statement_storage()
    with transaction.atomic():
        row = (
            _locked(statement_id)
            .filter(status__in=[StatementStatus.PENDING, StatementStatus.FAILED])
            .values_list("file", flat=True)
            .first()
        )
        if row is None:
            return False  # another delivery finished it, or it was superseded: write nothing
        # Files a killed worker left for this statement: nothing else can be writing one now.
        old_files = _statement_files_on_disk(statement_id)
        name = storage.save(_statement_file_name(statement_id), ContentFile(pdf))
        try:
            updated = Statement.objects.filter(
                pk=statement_id,
                status__in=[StatementStatus.PENDING, StatementStatus.FAILED],
            ).update(
                file=name,
                fingerprint=fingerprint,
                total_payable=total,
                status=StatementStatus.DONE,
                error="",
                rendered_at=timezone.now(),
            )
            assert updated == 1, "the statement row is locked, so the conditional update must hit it"
        except BaseException:
            storage.delete(name)
            raise

        def delete_old_files() -> None:
            for old in old_files:
                if old != name:
                    storage.delete(old)

        transaction.on_commit(delete_old_files)
    return True


def statements_render(*, statement_ids: Iterable[int]) -> None:
    """Render a batch, then finish the run(s) if this batch completed them."""
    statement_ids = list(statement_ids)
    run_ids = set(Statement.objects.filter(pk__in=statement_ids).values_list("run_id", flat=True).distinct())
    for statement_id in statement_ids:
        statement_render(statement_id=statement_id)
    for run in StatementRun.objects.filter(pk__in=run_ids, status=StatementRunStatus.RUNNING):
        run_finish_if_complete(run)


# --- progress and finishing --------------------------------------------------------------------


def current_statements(run: StatementRun) -> QuerySet[Statement]:
    return run.statements.exclude(status=StatementStatus.SUPERSEDED)


def run_progress(run: StatementRun) -> RunProgress:
    """Counts from our own tables (so the page survives a reload), with the time left estimated from
    how many statements were rendered in the last two minutes."""
    now = timezone.now()
    window_start = max(run.started_at, now - datetime.timedelta(seconds=RATE_WINDOW_SECONDS))
    counts = current_statements(run).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=StatementStatus.DONE)),
        failed=Count("pk", filter=Q(status=StatementStatus.FAILED)),
        recent=Count("pk", filter=Q(status=StatementStatus.DONE, rendered_at__gte=window_start)),
        total_payable=Sum("total_payable", filter=Q(status=StatementStatus.DONE)),
    )
    finished = run.status in FINISHED_RUN_STATES
    remaining = counts["total"] - counts["done"] - counts["failed"]
    elapsed = (run.finished_at if finished and run.finished_at else now) - run.started_at
    seconds_left = None
    window = (now - window_start).total_seconds()
    if not finished and counts["recent"] and window > 0:
        seconds_left = round(remaining * window / counts["recent"])
    return RunProgress(
        total=counts["total"],
        done=counts["done"],
        failed=counts["failed"],
        remaining=remaining,
        elapsed=elapsed,
        seconds_left=seconds_left,
        finished=finished,
        total_payable=counts["total_payable"] or Decimal("0.00"),
    )


def run_total(run: StatementRun) -> Decimal:
    """What the run pays out: the sum of the current statements' totals."""
    return run_progress(run).total_payable


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
        updated = StatementRun.objects.filter(pk=run.pk, status=StatementRunStatus.RUNNING).update(
            status=status, finished_at=timezone.now()
        )
        if updated != 1:
            return False
        ready = current_statements(locked).filter(status=StatementStatus.DONE)
        if previous_finish is not None:  # after a retry or reissue: only the statements new since
            ready = ready.filter(rendered_at__gt=previous_finish)
        statement_ids = list(ready.order_by("pk").values_list("pk", flat=True))
        _queue_notify_on_commit(statement_ids)
    run.status = status
    logger.info("Statement run %s finished: %s", run.pk, status)
    return True


def _queue_notify_on_commit(statement_ids: list[int]) -> None:
    _queue_in_batches_on_commit("claims.statements_notify", statement_ids, NOTIFY_BATCH_SIZE)


def statement_notify_ready(*, statement_id: int) -> bool:
    """Email the member that their statement is ready: no amounts, only a link to sign in.

    At most once per statement: `emailed_at` is claimed by a conditional update before sending,
    so a redelivered task sends nothing; if sending fails, the claim is given back and the error
    raised, so the task's next delivery tries again.
    """
    statement = (
        Statement.objects.select_related("member__user", "run__pool")
        .filter(pk=statement_id, status=StatementStatus.DONE, emailed_at__isnull=True)
        .first()
    )
    if statement is None:
        return False
    if not Statement.objects.filter(pk=statement_id, emailed_at__isnull=True).update(emailed_at=timezone.now()):
        return False  # another delivery is sending it
    login_url = f"{settings.PORTAL_BASE_URL}{reverse('account_login')}?next={reverse('claims:statement_list')}"
    body = render_to_string(
        "emails/statement_ready.txt",
        {
            "member": statement.member,
            "statement": statement,
            "pool": statement.run.pool,
            "login_url": login_url,
        },
    )
    subject = (
        "Your corrected residual statement is ready" if statement.version > 1 else "Your residual statement is ready"
    )
    try:
        send_mail(subject, body, None, [statement.member.user.email])
    except Exception:
        Statement.objects.filter(pk=statement_id).update(emailed_at=None)
        raise
    return True


def statements_notify_ready(*, statement_ids: Iterable[int]) -> None:
    for statement_id in statement_ids:
        statement_notify_ready(statement_id=statement_id)


# --- staff actions ----------------------------------------------------------------------------


def run_retry_failed(run: StatementRun) -> int:
    """Put the run's FAILED statements back to PENDING (attempts reset) and queue them. Returns how many."""
    with transaction.atomic():
        locked = StatementRun.objects.select_for_update().get(pk=run.pk)
        statement_ids = list(
            current_statements(locked).filter(status=StatementStatus.FAILED).order_by("pk").values_list("pk", flat=True)
        )
        if not statement_ids:
            return 0
        Statement.objects.filter(pk__in=statement_ids, status=StatementStatus.FAILED).update(
            status=StatementStatus.PENDING, attempts=0
        )
        StatementRun.objects.filter(pk=run.pk).update(status=StatementRunStatus.RUNNING)
        _queue_renders_on_commit(statement_ids)
    run.status = StatementRunStatus.RUNNING
    return len(statement_ids)


def statement_reissue(*, statement: Statement, by: User | None) -> Statement:
    """A correction: a new version of the member's statement in the same run, rendered by a worker.

    The old version is marked SUPERSEDED in the same transaction (its file is kept: staff can still
    download it) and the run goes back to RUNNING until the new version is ready, when the member
    is emailed again.
    """
    with transaction.atomic():
        StatementRun.objects.select_for_update().get(pk=statement.run_id)
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        if current.status == StatementStatus.SUPERSEDED:
            raise ValueError("This statement has already been replaced by a correction.")
        superseded = (
            Statement.objects.filter(pk=current.pk)
            .exclude(status=StatementStatus.SUPERSEDED)
            .update(status=StatementStatus.SUPERSEDED)
        )
        assert superseded == 1
        version = (
            Statement.objects.filter(run_id=current.run_id, member_id=current.member_id)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
            or 0  # never: the statement being replaced is one of them
        ) + 1
        new = Statement.objects.create(
            run_id=current.run_id,
            member_id=current.member_id,
            version=version,
            number=statement_number(pool_id=statement.run.pool_id, member_id=current.member_id, version=version),
        )
        StatementRun.objects.filter(pk=current.run_id).update(status=StatementRunStatus.RUNNING)
        _queue_renders_on_commit([new.pk])
    logger.info("Statement %s reissued as %s by %s", current.number, new.number, getattr(by, "pk", None))
    return new


def statement_file_path(statement: Statement) -> str | None:
    """The file on disk, for tests and checks (never served by path)."""
    return os.fspath(statement.file.path) if statement.file else None
