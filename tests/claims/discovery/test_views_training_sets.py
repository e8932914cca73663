"""Training-set pages for members (claims.views.discovery.training_sets): the list with how many of
my works each set holds, and searching a set's listing."""

import pytest
from django.urls import reverse

from tests.factories import load_manifest, make_credit, make_training_set, make_work
from tests.queries import assert_page_queries_constant

pytestmark = pytest.mark.django_db


def test_training_set_list_shows_how_many_of_my_works_each_contains(member_client, found, other_member):
    make_training_set(name="Empty Set")
    content = member_client.get(reverse("claims:training_set_list")).content.decode()
    assert "OpenSubs 2024" in content and "Empty Set" in content
    assert "<strong>1</strong>" in content


def test_training_set_list_query_count_does_not_grow_with_sets(member_client, member):
    def add_sets():
        names = [f"Set {number}" for number in range(5)]
        for name in names:
            load_manifest(make_training_set(name=name), "title\nA Film\n")
        return names

    make_credit(member, make_work(title="A Film", year=2001))
    load_manifest(make_training_set(name="One"), "title\nA Film\n")
    assert_page_queries_constant(member_client, reverse("claims:training_set_list"), add_sets)


def test_training_set_detail_query_count_does_not_grow_with_matches_and_results(member_client, member):
    def listing(titles):
        return "title,year\n" + "".join(f"{title},{year}\n" for title, year in titles.items())

    def add_works_to_the_listing():
        for title, year in more.items():
            make_credit(member, make_work(title=title, year=year))
        load_manifest(training_set, listing(first | more))  # a new version: the member's works found again
        return list(more)

    first = {"Amber Harbor": 2001}
    more = {"Birch Harbor": 2002, "Cedar Harbor": 2003, "Delta Harbor": 2004}
    training_set = make_training_set()
    make_credit(member, make_work(title="Amber Harbor", year=2001))
    load_manifest(training_set, listing(first))
    url = reverse("claims:training_set_detail", args=[training_set.pk])
    assert_page_queries_constant(member_client, url, add_works_to_the_listing, data={"q": "harbor"})


def test_training_set_search_by_title_shows_text_not_markup(member_client, found):
    url = reverse("claims:training_set_detail", args=[found.training_set.pk])
    content = member_client.get(url, {"q": "night harbor"}).content.decode()
    assert "Night Harbor, The (2019)" in content
    content = member_client.get(url, {"q": "bold title"}).content.decode()
    assert "&lt;b&gt;Bold Title&lt;/b&gt;" in content and "<b>Bold Title</b>" not in content


def test_training_set_search_finds_sequels_written_with_roman_numerals_or_digits(member_client):
    training_set = make_training_set()
    load_manifest(training_set, "title,year\nHarbor Lights 2,2012\n")
    url = reverse("claims:training_set_detail", args=[training_set.pk])
    assert "Harbor Lights 2" in member_client.get(url, {"q": "Harbor Lights II"}).content.decode()


def test_training_set_search_by_identifier_finds_the_entry(member_client):
    training_set = make_training_set()
    load_manifest(training_set, "title,year,imdb\nQuiet Shore,2004,tt0111161\n")
    url = reverse("claims:training_set_detail", args=[training_set.pk])
    assert "Quiet Shore" in member_client.get(url, {"q": "https://www.imdb.com/title/tt0111161/"}).content.decode()
