"""Celery interface to the claims services: thin tasks that take ids and return quietly if the row is gone."""

from celery import shared_task

from .models import Manifest


@shared_task(name="claims.manifest_ingest", acks_late=True)
def manifest_ingest_task(*, manifest_id: int) -> None:
    from .services.ingestion import manifest_ingest

    manifest = manifest_ingest(manifest_id=manifest_id)
    if manifest is not None and manifest.status == "active":
        manifest_match_task.delay(manifest_id=manifest.pk)


@shared_task(name="claims.manifest_match", acks_late=True)
def manifest_match_task(*, manifest_id: int) -> None:
    from .services.discovery import manifest_match

    if Manifest.objects.filter(pk=manifest_id).exists():
        manifest_match(manifest_id=manifest_id)


@shared_task(name="claims.credits_match", acks_late=True)
def credits_match_task(*, credit_ids: list[int]) -> None:
    from .services.discovery import credits_match

    credits_match(credit_ids=credit_ids)


@shared_task(name="claims.claim_notify", acks_late=True)
def claim_notify_task(*, claim_id: int, status: str) -> None:
    from .services.notifications import claim_notify

    claim_notify(claim_id=claim_id, status=status)
