"""Celery interface to the claims services: thin tasks that take ids and return quietly if the row is gone.

Services queue these by name (`portal.celery.task`) with `delay_on_commit`, so this module may import
the services at the top without a cycle.
"""

from celery import shared_task
from django.db import OperationalError

from claims.enums import ManifestStatus
from claims.models import Manifest
from claims.services.claims.notifications import claim_notify
from claims.services.discovery.ingestion import manifest_ingest
from claims.services.discovery.matching import credits_match, manifest_match
from claims.services.residuals.statement_runs import statement_runs_check, statements_render
from claims.services.residuals.statements import statements_notify_ready


@shared_task(name="claims.manifest_ingest", acks_late=True)
def manifest_ingest_task(*, manifest_id: int) -> None:
    manifest = manifest_ingest(manifest_id=manifest_id)
    if manifest is not None and manifest.status == ManifestStatus.ACTIVE:
        manifest_match_task.delay(manifest_id=manifest.pk)


@shared_task(name="claims.manifest_match", acks_late=True)
def manifest_match_task(*, manifest_id: int) -> None:
    if Manifest.objects.filter(pk=manifest_id).exists():
        manifest_match(manifest_id=manifest_id)


@shared_task(name="claims.credits_match", acks_late=True)
def credits_match_task(*, credit_ids: list[int]) -> None:
    credits_match(credit_ids=credit_ids)


# Email tasks: a failed send (OSError: the mail server down) or a passing database error (SQLite
# busy, a dropped connection) is retried with backoff; the service gave its "sent" mark back
# (portal.emails), and what was sent before the failure is not sent again.
@shared_task(
    name="claims.claim_notify",
    acks_late=True,
    autoretry_for=(OSError, OperationalError),
    retry_backoff=True,
    max_retries=8,
)
def claim_notify_task(*, claim_id: int, status: str) -> None:
    claim_notify(claim_id=claim_id, status=status)


# Statements: a batch of ids per task; each statement has its own time limit inside the service
# (RENDER_SECONDS_LIMIT), so these task limits are only a backstop for a render stuck outside Python.
# If the hard limit kills the process, the batch is redelivered and the stuck statement is given up
# after MAX_ATTEMPTS, so it still fails alone.
# A database error (SQLite busy with the other worker, a dropped connection) retries the whole batch
# with backoff: rendering is idempotent, and the statements it had finished are skipped.
@shared_task(
    name="claims.statements_render",
    acks_late=True,
    soft_time_limit=20 * 60,
    time_limit=21 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=8,
)
def statements_render_task(*, statement_ids: list[int]) -> None:
    statements_render(statement_ids=statement_ids)


@shared_task(
    name="claims.statements_notify",
    acks_late=True,
    autoretry_for=(OSError, OperationalError),
    retry_backoff=True,
    max_retries=8,
)
def statements_notify_task(*, statement_ids: list[int]) -> None:
    statements_notify_ready(statement_ids=statement_ids)


@shared_task(name="claims.statement_runs_check", acks_late=True)
def statement_runs_check_task() -> None:
    """Periodic-safe (e.g. every 5 minutes): restart runs stalled for 10 minutes (their workers died;
    rendering is idempotent, so re-queueing is harmless) and finish runs that are complete."""
    statement_runs_check()
