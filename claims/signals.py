"""Receivers for what other apps announce, connected in ClaimsConfig.ready()."""

from django.dispatch import receiver

from members.signals import credits_changed
from portal.celery import task_queue_in_batches

MATCH_BATCH = 100  # credits per matching task: each builds one prefilter query over them all


@receiver(credits_changed, dispatch_uid="claims.match_changed_credits")
def _match_changed_credits(sender, *, credit_ids: list[int], **kwargs) -> None:
    """Look for changed credits in every loaded training set once the change is committed."""
    task_queue_in_batches("claims.credits_match", ids=credit_ids, batch_size=MATCH_BATCH, ids_as="credit_ids")
