import pytest
from django.urls import reverse

from members.models import Membership, Union
from tests.factories import PASSWORD, make_union_membership

pytestmark = pytest.mark.django_db


def sign_in_and_confirm_password(client, user):
    """Sign in, then confirm the password on allauth's reauthentication page, as a member would."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_home_sends_anonymous_visitors_to_join(client):
    response = client.get("/")
    assert b"Join now" in response.content


def test_home_sends_members_to_their_dashboard(member_client):
    assert member_client.get("/").url == reverse("claims:dashboard")


def test_dashboard_requires_sign_in(client):
    response = client.get(reverse("claims:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_dashboard_shows_own_credits_and_memberships(member_client, member, other_member):
    from tests.factories import make_credit, make_work

    make_credit(member, make_work(title="Night Harbor"), credited_as="Harbor Master")
    make_credit(other_member, make_work(title="Someone Else's Film", year=2001))
    make_union_membership(member, "SAG-AFTRA", "SAG123456")
    content = member_client.get(reverse("claims:dashboard")).content.decode()
    assert "Night Harbor" in content and "Harbor Master" in content
    assert "SAG123456" in content
    assert "Someone Else" not in content


def test_profile_saves_professional_names_one_per_line(member_client, member):
    response = member_client.post(
        reverse("members:profile"),
        {
            "professional_names": "Mia Santos\n\n  M. J.   Santos \nmia santos",
            "phone": "+1 (323) 555-0142",
            "preferred_language": "es",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert [n.name for n in member.professional_names.all()] == ["Mia Santos", "M. J. Santos"]
    assert member.preferred_language == "es"


def test_profile_refuses_a_phone_number_without_enough_digits(member_client):
    response = member_client.post(reverse("members:profile"), {"phone": "call me", "preferred_language": "en"})
    assert "Enter a phone number" in response.content.decode()


def test_statement_details_ask_for_the_password_again(member_client):
    response = member_client.get(reverse("members:statement_details"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response.url


def test_statement_details_save_after_a_fresh_sign_in(client, member):
    sign_in_and_confirm_password(client, member.user)
    response = client.post(
        reverse("members:statement_details"),
        {
            "legal_name": "Maria J. Santos",
            "address_line1": "12 Harbor Road",
            "address_line2": "",
            "city": "Burbank",
            "region": "CA",
            "postal_code": "91502",
            "country": "United States",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.legal_name == "Maria J. Santos"
    assert member.postal_address_lines == ["12 Harbor Road", "Burbank, CA 91502", "United States"]


def test_statement_details_require_an_address(client, member):
    sign_in_and_confirm_password(client, member.user)
    response = client.post(reverse("members:statement_details"), {"legal_name": "Maria Santos"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


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


def test_other_members_membership_is_404(member_client, other_member):
    membership = make_union_membership(other_member, "DGA", "D-1")
    assert member_client.get(reverse("members:membership_edit", args=[membership.pk])).status_code == 404
    assert member_client.post(reverse("members:membership_delete", args=[membership.pk])).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_delete_removes_own(member_client, member):
    membership = make_union_membership(member, "DGA", "D-2")
    member_client.post(reverse("members:membership_delete", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
