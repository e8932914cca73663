"""Sending an email from a job: at most once per event, with a durable mark that it was sent.

Celery may deliver a task more than once, so the email's event carries a "sent" mark in our own
tables: a nullable timestamp on the rows the email is about (a claim event, a statement, the
matches it lists). The mark is claimed with a conditional update (`UPDATE … SET field = now WHERE
field IS NULL`, as healthchecks takes a job) before anything is sent, so a second delivery finds
it claimed and sends nothing. If rendering or sending fails, the mark is given back and the error
raised, so the task's next delivery (or the next run that looks for unsent news) tries again.

Call it outside a transaction, from a task: the claim must be committed before the email leaves,
or a rollback after sending would forget that it was sent.
"""

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone


def email_send_once(
    *, mark: QuerySet, field: str, to: str, subject: str, template: str, context: dict[str, Any]
) -> bool:
    """Email `to` (a plain-text body rendered from `template`) unless it was sent already.

    `mark` selects the rows the email is about and `field` is their nullable "sent" timestamp.
    Every row must still be unmarked: if another delivery has claimed any of them, nothing is
    claimed and nothing sent. True once the mail server has taken the email, False if it was
    not sent because it had been (or is being) sent already. Raises what sending raised, with
    the mark given back.
    """
    now = timezone.now()
    with transaction.atomic():
        expected = mark.count()
        claimed = mark.filter(**{f"{field}__isnull": True}).update(**{field: now})
        if not expected or claimed != expected:
            transaction.set_rollback(True)
            return False
    try:
        body = render_to_string(template, context)
        send_mail(subject, body, None, [to])
    except Exception:
        mark.filter(**{field: now}).update(**{field: None})
        raise
    return True
