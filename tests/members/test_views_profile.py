"""A member's profile (members.views.profile): professional names and contact details, and the
statement details that ask for the password again."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


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


def test_statement_details_save_after_a_fresh_sign_in(signed_in_client, member):
    response = signed_in_client.post(
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


def test_statement_details_require_an_address(signed_in_client, member):
    response = signed_in_client.post(reverse("members:statement_details"), {"legal_name": "Maria Santos"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
