"""Reads of statement runs: who gets a statement, a run's current statements, its progress and total.

Everything comes from our own tables (never from Celery), so a progress page survives a reload and
shows the same numbers to everyone.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from claims.enums import StatementRunStatus, StatementStatus
from claims.models import AllocationLine, CarriedBalance, ResidualPool, Statement, StatementRun

RATE_WINDOW_SECONDS = 120  # the estimate of time left uses the rate over the last two minutes
FINISHED_RUN_STATES = {StatementRunStatus.DONE, StatementRunStatus.DONE_WITH_FAILURES}


def pool_member_ids(pool: ResidualPool) -> list[int]:
    """Members who get a statement: anyone with a line in the pool or a balance carried in or out of it."""
    ids = set(AllocationLine.objects.filter(pool=pool).values_list("member_id", flat=True).distinct())
    ids |= set(
        CarriedBalance.objects.filter(Q(paid_in_pool=pool) | Q(from_pool=pool))
        .values_list("member_id", flat=True)
        .distinct()
    )
    return sorted(ids)


def current_statements(run: StatementRun) -> QuerySet[Statement]:
    """The run's statements less the versions a correction replaced: one per member."""
    return run.statements.exclude(status=StatementStatus.SUPERSEDED)


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
