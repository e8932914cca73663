"""New-match emails: one per member and newly loaded set, never twice, and not lost when sending fails."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from claims.models import Match
from claims.services.discovery.matching import manifest_match, notify_new_matches
from tests.factories import load_manifest, make_credit, make_training_set, make_work

pytestmark = pytest.mark.django_db

LISTING = "title,year\nNight Harbor,2019\nQuiet Shore,2004\n"
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class MailServerDown(BaseEmailBackend):
    """The mail server refuses the connection (the outside world failing, not our code)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def found(member):
    make_credit(member, make_work(title="Night Harbor", year=2019))
    make_credit(member, make_work(title="Quiet Shore", year=2004))
    return load_manifest(make_training_set(), LISTING, match=False)


def test_a_match_run_delivered_twice_sends_one_email(member, found, django_capture_on_commit_callbacks):
    for _delivery in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            manifest_match(manifest_id=found.pk)
    (email,) = mail.outbox
    assert email.to == [member.user.email] and "OpenSubs 2024" in email.subject
    assert "Night Harbor" in email.body and "Quiet Shore" in email.body
    assert not Match.objects.filter(notified_at__isnull=True).exists()


def test_two_runs_that_found_the_same_news_send_it_once(member, found, django_capture_on_commit_callbacks):
    manifest_match(manifest_id=found.pk, notify=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # Both runs list the member's matches before either has sent anything.
        notify_new_matches(training_set=found.training_set)
        notify_new_matches(training_set=found.training_set)
    assert len(callbacks) == 2
    (email,) = mail.outbox
    assert email.to == [member.user.email]


def test_a_failed_send_is_retried_by_the_next_run(member, found, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.MailServerDown"}}
    with pytest.raises(ConnectionRefusedError), django_capture_on_commit_callbacks(execute=True):
        manifest_match(manifest_id=found.pk)
    assert Match.objects.filter(credit__member=member).count() == 2
    assert not Match.objects.filter(notified_at__isnull=False).exists()  # nobody is marked as told
    settings.MAILERS = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        notify_new_matches(training_set=found.training_set)
    (email,) = mail.outbox
    assert email.to == [member.user.email] and "Night Harbor" in email.body and "Quiet Shore" in email.body


def test_matches_told_by_another_run_are_not_sent_again(member, found, django_capture_on_commit_callbacks):
    manifest_match(manifest_id=found.pk, notify=False)
    Match.objects.filter(credit__work__title="Quiet Shore").update(notified_at=found.created_at)  # told already
    with django_capture_on_commit_callbacks(execute=True):
        notify_new_matches(training_set=found.training_set)
    (email,) = mail.outbox
    assert "Night Harbor" in email.body and "Quiet Shore" not in email.body
