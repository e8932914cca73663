"""Claim emails go at most once per step, however often the task is delivered, and a failed send is retried."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import InternalError, ProgrammingError, connection, transaction

from claims.enums import ClaimStatus as S
from claims.models import ClaimEvent
from claims.services.claims.transitions import Actor, claim_transition
from claims.tasks import claim_notify_task
from tests.factories import make_claim, make_union_membership, make_verifier

pytestmark = pytest.mark.django_db


class MailServerDown(BaseEmailBackend):
    """The mail server refuses the connection (the outside world failing, not our code)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def verified(member):
    make_union_membership(member, "SAG-AFTRA", "SAG-1")
    verifier = make_verifier(email="sag.verifier@union.example", unions=["SAG-AFTRA"])
    claim = make_claim(member)
    claim_transition(claim=claim, to=S.IN_REVIEW, actor=Actor(verifier))
    claim_transition(claim=claim, to=S.VERIFIED, actor=Actor(verifier))
    return claim


def test_a_task_delivered_twice_sends_one_email(member, verified):
    claim_notify_task(claim_id=verified.pk, status=S.VERIFIED)
    claim_notify_task(claim_id=verified.pk, status=S.VERIFIED)
    (email,) = mail.outbox
    assert email.to == [member.user.email]
    assert email.subject == f"Your claim {verified.number} is verified"
    assert verified.events.get(to_status=S.VERIFIED).emailed_at is not None


def test_a_failed_send_is_retried_by_the_next_delivery(member, verified, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.MailServerDown"}}
    with pytest.raises(ConnectionRefusedError):
        claim_notify_task(claim_id=verified.pk, status=S.VERIFIED)
    assert verified.events.get(to_status=S.VERIFIED).emailed_at is None
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    claim_notify_task(claim_id=verified.pk, status=S.VERIFIED)
    (email,) = mail.outbox
    assert email.to == [member.user.email] and verified.number in email.subject


def test_a_reopened_and_verified_again_claim_is_emailed_about_each_decision(member, verified):
    verifier = verified.events.get(to_status=S.VERIFIED).actor
    claim_notify_task(claim_id=verified.pk, status=S.VERIFIED)
    claim_transition(claim=verified, to=S.IN_REVIEW, actor=Actor(verifier))
    claim_transition(claim=verified, to=S.VERIFIED, actor=Actor(verifier))
    claim_notify_task(claim_id=verified.pk, status=S.VERIFIED)
    claim_notify_task(claim_id=verified.pk, status=S.VERIFIED)
    assert [email.subject for email in mail.outbox] == [f"Your claim {verified.number} is verified"] * 2


def test_the_database_lets_only_the_emailed_mark_of_an_event_change(verified):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    event = verified.events.get(to_status=S.VERIFIED)
    assert ClaimEvent.objects.filter(pk=event.pk).update(emailed_at=event.created_at) == 1
    with pytest.raises((InternalError, ProgrammingError), match="append-only"), transaction.atomic():
        ClaimEvent.objects.filter(pk=event.pk).update(emailed_at=None, message="rewritten")
    event.refresh_from_db()
    assert event.message == "" and event.emailed_at == event.created_at
