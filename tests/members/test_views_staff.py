import pytest
from django.urls import reverse

from tests.factories import make_credit, make_member, make_staff, make_union_membership, make_work
from tests.queries import assert_page_queries_constant

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["members:staff_member_search"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_member_on_a_staff_page_is_403(member_client, name):
    assert member_client.get(reverse(name)).status_code == 403


def test_member_on_staff_member_detail_is_403(member_client, other_member):
    assert member_client.get(reverse("members:staff_member_detail", args=[other_member.pk])).status_code == 403


def test_staff_without_two_factor_is_sent_to_set_it_up(client, db):
    staff = make_staff(with_mfa=False)
    client.force_login(staff)
    response = client.get(reverse("members:staff_member_search"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("query", ["Santos", "mia star", "member@example", "SAG-42"])
def test_staff_finds_a_member_by_name_professional_name_email_or_number(verifier_client, member, other_member, query):
    from members.services.profiles import profile_set_professional_names

    profile_set_professional_names(profile=member, names=["Mia Star"])
    make_union_membership(member, "SAG-AFTRA", "SAG-42")
    content = verifier_client.get(reverse("members:staff_member_search"), {"q": query}).content.decode()
    assert "Maria Santos" in content
    assert "Oscar Lindqvist" not in content


def test_staff_member_detail_shows_credits_and_memberships(verifier_client, member):
    make_credit(member, make_work(title="Night Harbor"), credited_as="Harbor Master")
    make_union_membership(member, "SAG-AFTRA", "SAG-42")
    content = verifier_client.get(reverse("members:staff_member_detail", args=[member.pk])).content.decode()
    assert "Night Harbor" in content and "Harbor Master" in content and "SAG-42" in content


def test_staff_member_search_query_count_does_not_grow_with_members(verifier_client):
    def add_members(numbers):
        for i in numbers:
            m = make_member(legal_name=f"Member {i}", professional_names=[f"Stage {i}"])
            make_union_membership(m, "DGA")
            make_credit(m, make_work(title=f"Film {i}"))
        return [f"Member {i}" for i in numbers]

    add_members(range(3))
    assert_page_queries_constant(
        verifier_client, reverse("members:staff_member_search"), lambda: add_members(range(3, 12))
    )


def test_staff_member_detail_query_count_does_not_grow_with_credits_and_memberships(verifier_client, member):
    make_credit(member, make_work(title="Night Harbor"), credited_as="Harbor Master")
    make_union_membership(member, "SAG-AFTRA", "SAG-42")

    def add_credits_and_memberships():
        titles = [f"Film {number}" for number in range(1, 6)]
        for title in titles:
            make_credit(member, make_work(title=title, year=2010))
        make_union_membership(member, "DGA", "DGA-7")
        return [*titles, "DGA-7"]

    assert_page_queries_constant(
        verifier_client, reverse("members:staff_member_detail", args=[member.pk]), add_credits_and_memberships
    )


def admin_index_shown(client) -> bool:
    """Whether the admin's index with the models opens (not its "not authorized" login page)."""
    response = client.get("/admin/", follow=True)
    return response.status_code == 200 and "Member profiles" in response.content.decode()


def test_admin_is_closed_to_staff_who_are_not_superusers(verifier_client):
    assert not admin_index_shown(verifier_client)


def test_admin_needs_two_step_sign_in_even_for_superusers(client, db):
    from tests.factories import enable_totp

    superuser = make_staff(with_mfa=False, is_superuser=True)
    client.force_login(superuser)
    assert not admin_index_shown(client)
    enable_totp(superuser)
    assert admin_index_shown(client)


def test_member_on_admin_is_403(member_client):
    assert member_client.get("/admin/login/").status_code == 403
