"""A member's union memberships (members.views.memberships): add, edit, delete their own; numbers
are one member's only; another member's membership is 404."""

import pytest
from django.urls import reverse

from members.models import Membership, Union
from tests.factories import make_union_membership

pytestmark = pytest.mark.django_db


def test_membership_add_and_edit(member_client, member):
    union = Union.objects.get(short_name="IATSE Local 600")
    response = member_client.post(
        reverse("members:membership_add"),
        {
            "union": union.pk,
            "member_number": " 600-1234 ",
            "status": "active",
            "since": "2015-03-01",
        },
    )
    assert response.status_code == 302
    membership = member.memberships.get()
    assert membership.member_number == "600-1234"
    member_client.post(
        reverse("members:membership_edit", args=[membership.pk]),
        {
            "union": union.pk,
            "member_number": "600-1234",
            "status": "retired",
            "since": "2015-03-01",
        },
    )
    membership.refresh_from_db()
    assert membership.status == "retired"


def test_membership_number_taken_by_another_member_is_refused(member_client, other_member):
    make_union_membership(other_member, "WGA West", "W-777")
    union = Union.objects.get(short_name="WGA West")
    response = member_client.post(
        reverse("members:membership_add"),
        {
            "union": union.pk,
            "member_number": "W-777",
            "status": "active",
            "since": "",
        },
    )
    assert "Another account has this member number" in response.content.decode()
    assert Membership.objects.filter(member_number="W-777").count() == 1


def test_membership_since_in_the_future_is_refused(member_client):
    union = Union.objects.get(short_name="DGA")
    response = member_client.post(
        reverse("members:membership_add"),
        {
            "union": union.pk,
            "member_number": "",
            "status": "active",
            "since": "2999-01-01",
        },
    )
    assert "be in the future" in response.content.decode()


def test_membership_of_another_member_is_404(member_client, other_member):
    membership = make_union_membership(other_member, "DGA", "D-1")
    assert member_client.get(reverse("members:membership_edit", args=[membership.pk])).status_code == 404
    assert member_client.post(reverse("members:membership_delete", args=[membership.pk])).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_delete_removes_own(member_client, member):
    membership = make_union_membership(member, "DGA", "D-2")
    member_client.post(reverse("members:membership_delete", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
