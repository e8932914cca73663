"""Members signed in for a sensitive page, and uploading credit files the way members and staff do."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.members.credit_files import upload


@pytest.fixture
def signed_in_client(client, member):
    """Signed in, with the password just confirmed, as allauth asks before security changes."""
    client.force_login(member.user)
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def import_roster(verifier_client, celery_eager, django_capture_on_commit_callbacks):
    """Upload a roster on the staff page, run its queued task, and return the page the staff member sees."""

    def run(text: str | bytes, name: str = "roster.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = verifier_client.post(reverse("members:staff_credit_import"), {"file": upload(text, name)})
        assert response.status_code == 302, response.content.decode()
        return verifier_client.get(response.url)

    return run


@pytest.fixture
def import_own(member_client):
    """Upload a member's own list on /credits/import/ and return the result page they are sent to."""

    def run(text: str | bytes, name: str = "mine.csv"):
        response = member_client.post(reverse("members:credit_import"), {"file": upload(text, name)})
        assert response.status_code == 302, response.content.decode()
        return member_client.get(response.url)

    return run
