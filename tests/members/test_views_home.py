"""The front door (members.views.home): visitors are asked to join, members go to their dashboard."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_sends_anonymous_visitors_to_join(client):
    response = client.get("/")
    assert b"Join now" in response.content


def test_home_sends_members_to_their_dashboard(member_client):
    assert member_client.get("/").url == reverse("claims:dashboard")
