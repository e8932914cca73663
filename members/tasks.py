"""Celery tasks for members: thin wrappers that take ids and call a service.

Delivery is at-least-once, so each task is safe to run twice: the import only
runs when it can move its row from QUEUED to RUNNING, and invitations skip
accounts that have already been claimed.
"""

from celery import shared_task
from django.db import OperationalError

from members.services.credit_import import account_invitations_send, credit_import_process


@shared_task(name="members.credit_import_run")
def credit_import_run_task(*, import_id: int, site_url: str) -> None:
    """Check and write a queued credit import; `site_url` is where invitation links point."""
    credit_import_process(import_id=import_id, site_url=site_url)


# A failed send (OSError: the mail server down) or a passing database error is retried with
# backoff; the invitations already
# sent are marked (User.invited_at) and not sent again.
@shared_task(
    name="members.account_invitations_send",
    autoretry_for=(OSError, OperationalError),
    retry_backoff=True,
    max_retries=8,
)
def account_invitations_send_task(*, user_ids: list[int], site_url: str) -> None:
    """Invite members whose accounts a roster import created (at most a few hundred per task)."""
    account_invitations_send(user_ids=user_ids, site_url=site_url)
