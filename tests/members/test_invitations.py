"""Invitations to the accounts a roster import created: at most one each, and never to a claimed account."""

import pytest
from django.core import mail

from members.models import User
from members.services.credit_import import account_invitations_send
from tests.factories import PASSWORD


@pytest.fixture
def invited(db):
    """Two accounts a roster created (no usable password, never signed in)."""
    return [User.objects.create_user(email=f"{name}@example.org", password=None) for name in ("sam", "kim")]


def invite(users) -> int:
    return account_invitations_send(user_ids=[user.pk for user in users], site_url="http://testserver/")


def test_invitations_skip_accounts_already_claimed(invited):
    sam, _ = invited
    sam.set_password(PASSWORD)
    sam.save()

    assert invite(invited) == 1
    assert [message.to for message in mail.outbox] == [["kim@example.org"]]


def test_invitations_delivered_twice_send_one_email_each(invited):
    assert invite(invited) == 2
    assert invite(invited) == 0
    assert sorted(message.to[0] for message in mail.outbox) == ["kim@example.org", "sam@example.org"]
    assert all(user.invited_at is not None for user in User.objects.filter(pk__in=[u.pk for u in invited]))


def test_a_failed_invitation_is_sent_by_the_next_delivery(invited, settings):
    # A mail server that refuses the connection (nothing listens on port 9 here).
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 5},
        }
    }
    with pytest.raises(OSError):  # noqa: PT011 (the connection refusal's text differs by platform)
        invite(invited)
    assert not User.objects.filter(invited_at__isnull=False).exists()

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert invite(invited) == 2
    assert len(mail.outbox) == 2
