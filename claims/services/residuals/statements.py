"""One member's residual statement: render it, store its file, sweep stray files, reissue it, email it.

A statement is a row (Statement); Celery only carries ids, and a run
(`claims.services.residuals.statement_runs`) queues them. Delivery is at least once, so every
step is idempotent:

- a render skips a statement that is no longer PENDING, and its result is written with a
  conditional update (PENDING/FAILED -> DONE, `statement_transition`) under the statement's row
  lock, so of two workers rendering the same statement exactly one wins and the loser writes no
  file at all;
- the PDF file is written only while that row lock is held, named after the statement
  ("statements/<id>/<random>.pdf"), so a file for statement N that the row does not reference,
  seen while holding N's lock, can only be left by a worker that died (SIGKILL) between writing
  and committing: `statement_files_sweep` deletes exactly those ("no orphaned files");
- members are emailed once per statement (`statement_notify_ready`).

Each statement gets its own time limit (a SIGALRM timer around the render), so a pathological
statement fails alone inside a batch; one that kills its worker outright is given up after
MAX_ATTEMPTS deliveries. Whatever goes wrong with one statement (its data, the PDF, storing the
file) ends it FAILED with the reason, so its run can still finish.
"""

import contextlib
import logging
import secrets
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from types import FrameType
from typing import NoReturn

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse

from claims.enums import StatementRunStatus, StatementStatus
from claims.models import Statement, StatementRun
from claims.pdf import render_statement_pdf
from claims.selectors.residuals.statement_data import statement_data_for
from claims.services.residuals.transitions import LockedRowChanged, statement_run_transition, statement_transition
from claims.statement_data import fingerprint
from members.models import User
from portal.celery import task_queue_in_batches
from portal.emails import email_send_once

logger = logging.getLogger(__name__)

BATCH_SIZE = 20  # statement ids per render task: ~2 ms of Celery overhead shared by 20 renders
RENDER_SECONDS_LIMIT = 30  # per statement; a render taking longer fails that statement alone
MAX_ATTEMPTS = 3  # deliveries of one statement that never finished (its worker died) before giving up
STATEMENTS_FOLDER = "statements"
# A late render still counts for a statement given up (FAILED); a superseded one is never written.
STORABLE = {StatementStatus.PENDING, StatementStatus.FAILED}


class StatementRenderTimeout(Exception):
    """A statement took longer than RENDER_SECONDS_LIMIT to render."""


def statement_number(*, pool_id: int, member_id: int, version: int) -> str:
    return f"ST-{pool_id}-{member_id}-v{version}"


def statements_queue_render(*, statement_ids: list[int]) -> None:
    """After commit, queue the renders BATCH_SIZE ids a task (Celery's overhead shared by a batch)."""
    task_queue_in_batches("claims.statements_render", ids=statement_ids, batch_size=BATCH_SIZE, ids_as="statement_ids")


# --- rendering one statement -------------------------------------------------------------------


# After the limit, the timer fires again this often until the render stops: Python drops an
# exception raised while a finaliser (`__del__`) runs, so one signal alone can be lost.
REFIRE_SECONDS = 0.05


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise StatementRenderTimeout in this thread after `seconds` (only where signals work: the main
    thread of a worker process; elsewhere the task's hard time limit is the backstop).

    The timer repeats until the block ends, so a timeout swallowed inside a garbage-collector
    finaliser is raised again a moment later; a block that still ends past its limit (the last
    signal was swallowed too) counts as timed out all the same."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> NoReturn:
        raise StatementRenderTimeout(f"Rendering took longer than {seconds:g} seconds.")

    deadline = time.monotonic() + seconds
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if time.monotonic() > deadline:
        raise StatementRenderTimeout(f"Rendering took longer than {seconds:g} seconds.")


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


def _statement_fail(statement: Statement, error: str) -> bool:
    """PENDING -> FAILED with the reason staff read; False if another delivery moved it first."""
    return statement_transition(statement=statement, to=StatementStatus.FAILED, error=error)


def statement_render(*, statement_id: int) -> bool:
    """Render one statement's PDF and mark it DONE. True if this call made it DONE.

    Skips a statement that is no longer PENDING (already done by another delivery, failed, or
    superseded). A render error, a time-out or a file that cannot be stored marks it FAILED with
    the error; it never raises for a problem with the statement itself, so one bad statement does
    not stop the batch, and the run still finishes.
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
        _statement_fail(
            statement,
            f"Gave up after {MAX_ATTEMPTS} attempts that never finished (the worker stopped while rendering).",
        )
        return False
    try:
        with _time_limit(RENDER_SECONDS_LIMIT):
            data = statement_data_for(statement)
            digest = fingerprint(data)
            pdf = render_statement_pdf(data, data_fingerprint=digest)
    except Exception as error:  # any failure of one statement is recorded on it
        logger.warning("Statement %s failed to render: %s", statement_id, error, exc_info=True)
        _statement_fail(statement, f"{type(error).__name__}: {error}")
        return False
    try:
        return _statement_store(statement_id, pdf=pdf, fingerprint=digest, total=Decimal(data.total_payable))
    except OSError as error:  # the storage's own failure (a full disk, say): it fails this statement alone.
        # A database error is not caught: it is passing (a locked SQLite file, a dropped connection),
        # and the task retries the batch (claims/tasks.py).
        logger.error("Statement %s rendered but not stored: %s", statement_id, error, exc_info=True)
        _statement_fail(statement, f"The PDF could not be stored: {type(error).__name__}: {error}")
        return False


def _statement_store(statement_id: int, *, pdf: bytes, fingerprint: str, total: Decimal) -> bool:
    """Write the file and mark the statement DONE, both under its row lock; lose quietly to another worker."""
    storage = _statement_storage()
    with transaction.atomic():
        statement = _locked(statement_id).only("pk", "status", "file").first()
        if statement is None or statement.status not in STORABLE:
            return False  # another delivery finished it, or it was superseded: write nothing
        # Files a killed worker left for this statement: nothing else can be writing one now.
        old_files = _statement_files_on_disk(statement_id)
        name = storage.save(_statement_file_name(statement_id), ContentFile(pdf))
        try:
            stored = statement_transition(
                statement=statement,
                to=StatementStatus.DONE,
                file=name,
                fingerprint=fingerprint,
                total_payable=total,
            )
            if not stored:
                raise LockedRowChanged(
                    f"Statement {statement_id} left {statement.status} while this worker held its row lock."
                )
        except BaseException:
            storage.delete(name)
            raise

        def delete_replaced() -> None:
            for old in old_files:
                if old != name:
                    storage.delete(old)

        transaction.on_commit(delete_replaced)
    return True


# --- the member's email ------------------------------------------------------------------------


def statement_notify_ready(*, statement_id: int) -> bool:
    """Email the member that their statement is ready: no amounts, only a link to sign in.

    At most once per statement, by its `emailed_at` mark (portal.emails): a redelivered task sends
    nothing, and a failed send is given back and raised, so the task's next delivery tries again.
    """
    statement = (
        Statement.objects.select_related("member__user", "run__pool")
        .filter(pk=statement_id, status=StatementStatus.DONE, emailed_at__isnull=True)
        .first()
    )
    if statement is None:
        return False
    login_url = f"{settings.PORTAL_BASE_URL}{reverse('account_login')}?next={reverse('claims:statement_list')}"
    return email_send_once(
        mark=Statement.objects.filter(pk=statement_id),
        field="emailed_at",
        to=statement.member.user.email,
        subject=(
            "Your corrected residual statement is ready"
            if statement.version > 1
            else "Your residual statement is ready"
        ),
        template="emails/statement_ready.txt",
        context={
            "member": statement.member,
            "statement": statement,
            "pool": statement.run.pool,
            "login_url": login_url,
        },
    )


def statements_notify_ready(*, statement_ids: Iterable[int]) -> None:
    for statement_id in statement_ids:
        statement_notify_ready(statement_id=statement_id)


# --- corrections -------------------------------------------------------------------------------


def statement_reissue(*, statement: Statement, by: User | None) -> Statement:
    """A correction: a new version of the member's statement in the same run, rendered by a worker.

    The old version is marked SUPERSEDED in the same transaction (its file is kept: staff can still
    download it) and the run goes back to RUNNING until the new version is ready, when the member
    is emailed again.
    """
    with transaction.atomic():
        run = StatementRun.objects.select_for_update().get(pk=statement.run_id)
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        if current.status == StatementStatus.SUPERSEDED:
            raise ValueError("This statement has already been replaced by a correction.")
        if not statement_transition(statement=current, to=StatementStatus.SUPERSEDED):
            raise LockedRowChanged(f"Statement {current.pk} changed while it was locked for a correction.")
        version = (
            Statement.objects.filter(run_id=current.run_id, member_id=current.member_id)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        if version is None:
            raise LockedRowChanged(f"Statement {current.pk} disappeared while it was locked for a correction.")
        version += 1
        new = Statement.objects.create(
            run_id=current.run_id,
            member_id=current.member_id,
            version=version,
            number=statement_number(pool_id=run.pool_id, member_id=current.member_id, version=version),
        )
        if run.status != StatementRunStatus.RUNNING and not statement_run_transition(
            run=run, to=StatementRunStatus.RUNNING
        ):
            raise LockedRowChanged(f"Statement run {run.pk} changed while it was locked for a correction.")
        statements_queue_render(statement_ids=[new.pk])
    logger.info("Statement %s reissued as %s by %s", current.number, new.number, getattr(by, "pk", None))
    return new
