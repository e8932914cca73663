"""A member's answer to a match (claims.views.discovery.matches): "Claim this" and "Not mine" on
their own matches; another member's match is 404."""

import pytest
from django.urls import reverse

from claims.enums import MatchStatus
from claims.models import MatchDecision

pytestmark = pytest.mark.django_db


def test_match_confirmed_and_dismissed_by_its_member(member_client, found):
    response = member_client.post(reverse("claims:match_confirm", args=[found.pk]), headers={"HX-Request": "true"})
    assert "You confirmed this" in response.content.decode()
    found.refresh_from_db()
    assert found.status == MatchStatus.CONFIRMED
    member_client.post(reverse("claims:match_dismiss", args=[found.pk]))
    found.refresh_from_db()
    assert found.status == MatchStatus.DISMISSED
    assert MatchDecision.objects.get(credit=found.credit).decision == MatchStatus.DISMISSED
    assert "Night Harbor, The (2019)" not in member_client.get(reverse("claims:dashboard")).content.decode()


def test_match_of_another_member_is_404(client, found, other_member):
    client.force_login(other_member.user)
    assert client.post(reverse("claims:match_confirm", args=[found.pk])).status_code == 404
    assert client.post(reverse("claims:match_dismiss", args=[found.pk])).status_code == 404
    found.refresh_from_db()
    assert found.status == MatchStatus.NEW
