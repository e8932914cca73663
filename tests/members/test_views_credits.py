import pytest
from django.urls import reverse

from members.models import Credit, Work
from tests.factories import make_credit, make_work
from tests.queries import assert_page_queries_constant

pytestmark = pytest.mark.django_db

NEW_FILM = {
    "title": "Night Harbor, The",
    "year": "2019",
    "work_type": "feature_film",
    "job": "principal",
    "credited_as": "Harbor Master",
}


def test_add_credit_on_a_new_work(member_client, member):
    response = member_client.post(reverse("members:credit_add"), NEW_FILM)
    assert response.status_code == 302
    credit = member.credits.get()
    assert credit.work.title == "Night Harbor, The"
    assert credit.category == "performer"
    assert "Night Harbor" in member_client.get(reverse("members:credit_list")).content.decode()


def test_second_member_describing_the_same_work_shares_it(member_client, other_member):
    existing = make_work(title="The Night Harbor", year=2019)
    make_credit(other_member, existing)
    member_client.post(reverse("members:credit_add"), NEW_FILM)
    assert Work.objects.count() == 1
    assert Credit.objects.filter(work=existing).count() == 2


def test_add_credit_on_a_picked_work(member_client, member):
    work = make_work(title="Quiet Shore", year=2004, imdb_id="tt7654321")
    response = member_client.post(reverse("members:credit_add"), {"work": work.pk, "job": "camera_operator"})
    assert response.status_code == 302
    credit = member.credits.get()
    assert credit.work == work and credit.category == "crew"


def test_work_search_finds_registered_works_as_you_type(member_client):
    make_work(title="Night Harbor, The", year=2019)
    make_work(title="Quiet Shore", year=2004)
    response = member_client.get(reverse("members:work_search"), {"q": "night harb"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Night Harbor, The" in content and "Quiet Shore" not in content
    assert "<html" not in content  # a fragment, not a page


def test_work_search_by_imdb_id(member_client):
    make_work(title="Quiet Shore", year=2004, imdb_id="tt7654321")
    assert "Quiet Shore" in member_client.get(reverse("members:work_search"), {"q": "tt7654321"}).content.decode()


def test_work_search_says_when_nothing_matches(member_client):
    content = member_client.get(reverse("members:work_search"), {"q": "zzzz"}).content.decode()
    assert "No registered work matches" in content


def test_work_pick_shows_the_chosen_work_with_a_hidden_field(member_client):
    work = make_work(title="Quiet Shore", year=2004)
    content = member_client.get(reverse("members:work_pick", args=[work.pk])).content.decode()
    assert f'name="work" value="{work.pk}"' in content and "Choose a different work" in content


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("year", "1700", "Enter a year between 1888"),
        ("year", "3000", "Enter a year between 1888"),
        ("imdb_id", "nm0000151", "An IMDb title id looks like"),
        ("isbn", "978-0-306-40615-8", "not a valid ISBN"),
        ("title", "", "Enter the title"),
    ],
)
def test_bad_work_details_are_refused_with_a_clear_message(member_client, member, field, value, message):
    response = member_client.post(reverse("members:credit_add"), {**NEW_FILM, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not member.credits.exists() and not Work.objects.exists()


def test_tv_episode_needs_its_series(member_client):
    response = member_client.post(reverse("members:credit_add"), {**NEW_FILM, "work_type": "tv_episode"})
    assert "enter the series it belongs to" in response.content.decode()


def test_duplicate_credit_is_refused_and_no_work_is_left_behind(member_client, member):
    member_client.post(reverse("members:credit_add"), NEW_FILM)
    response = member_client.post(reverse("members:credit_add"), NEW_FILM)
    assert "You already have a" in response.content.decode()
    assert member.credits.count() == 1


def test_contradicting_identifier_is_explained(member_client):
    make_work(title="The Night Harbor", year=2019, imdb_id="tt7654321")
    response = member_client.post(reverse("members:credit_add"), {**NEW_FILM, "imdb_id": "tt1111111"})
    assert "already registered with IMDb id tt7654321" in response.content.decode()


def test_edit_own_credit(member_client, member):
    credit = make_credit(member, make_work())
    response = member_client.get(reverse("members:credit_edit", args=[credit.pk]))
    assert f'name="work" value="{credit.work.pk}"' in response.content.decode()
    member_client.post(
        reverse("members:credit_edit", args=[credit.pk]),
        {"work": credit.work.pk, "job": "voice", "credited_as": "Narrator of the sea"},
    )
    credit.refresh_from_db()
    assert credit.job == "voice" and credit.credited_as == "Narrator of the sea"


def test_delete_own_credit_keeps_the_shared_work(member_client, member):
    credit = make_credit(member, make_work())
    member_client.post(reverse("members:credit_delete", args=[credit.pk]))
    assert not Credit.objects.filter(pk=credit.pk).exists()
    assert Work.objects.filter(pk=credit.work_id).exists()


def test_other_members_credit_is_404_for_view_edit_and_delete(member_client, other_member):
    credit = make_credit(other_member, make_work())
    assert member_client.get(reverse("members:credit_edit", args=[credit.pk])).status_code == 404
    assert (
        member_client.post(
            reverse("members:credit_edit", args=[credit.pk]), {"work": credit.work.pk, "job": "voice"}
        ).status_code
        == 404
    )
    assert member_client.post(reverse("members:credit_delete", args=[credit.pk])).status_code == 404
    credit.refresh_from_db()
    assert credit.job == "principal"


def test_credit_list_shows_only_own_credits(member_client, member, other_member):
    make_credit(member, make_work(title="Mine"))
    make_credit(other_member, make_work(title="Theirs", year=2000))
    content = member_client.get(reverse("members:credit_list")).content.decode()
    assert "Mine" in content and "Theirs" not in content


def test_user_text_is_escaped(member_client, member):
    make_credit(member, make_work(title="<script>alert(1)</script>"), credited_as="<b>bold</b>")
    content = member_client.get(reverse("members:credit_list")).content.decode()
    assert "<script>alert(1)" not in content and "&lt;script&gt;" in content
    assert "<b>bold</b>" not in content


def test_credit_list_query_count_does_not_grow_with_credits(member_client, member):
    make_credit(member, make_work(title="First Light", year=2001), credited_as="Harbor Master")

    def add_credits():
        titles = [f"Second Film {number}" for number in range(1, 6)]
        for year, title in enumerate(titles, start=2010):
            make_credit(member, make_work(title=title, year=year), job="voice")
        return titles

    assert_page_queries_constant(member_client, reverse("members:credit_list"), add_credits)
