"""Training-set pages for members (claims.views.discovery.training_sets): the list with how many of
my works each set holds, and searching a set's listing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import load_manifest, make_training_set

pytestmark = pytest.mark.django_db


def test_training_set_list_shows_how_many_of_my_works_each_contains(member_client, found, other_member):
    make_training_set(name="Empty Set")
    content = member_client.get(reverse("claims:training_set_list")).content.decode()
    assert "OpenSubs 2024" in content and "Empty Set" in content
    assert "<strong>1</strong>" in content


def test_training_set_list_query_count_does_not_grow_with_sets(member_client, member):
    def count():
        with CaptureQueriesContext(connection) as queries:
            member_client.get(reverse("claims:training_set_list"))
        return len(queries)

    make_training_set(name="One")
    few = count()
    for number in range(5):
        load_manifest(make_training_set(name=f"Set {number}"), "title\nA Film\n")
    assert count() == few


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
