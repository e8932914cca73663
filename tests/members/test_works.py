import pytest
from django.core.exceptions import ValidationError

from members.enums import WorkType
from members.models import Work
from members.services.works import WorkDetails, work_find_or_create

pytestmark = pytest.mark.django_db


def details(title="Night Harbor", year=2019, work_type=WorkType.FEATURE_FILM, **identifiers):
    return WorkDetails(title=title, year=year, work_type=work_type, identifiers=identifiers)


def test_same_title_year_type_is_one_work():
    first = work_find_or_create(details("Night Harbor, The"))
    second = work_find_or_create(details("the night harbor"))
    assert first.pk == second.pk
    assert Work.objects.count() == 1


def test_same_identifier_is_one_work_even_with_another_title():
    first = work_find_or_create(details("Night Harbor", imdb_id="tt7654321"))
    second = work_find_or_create(details("Harbour at Night", year=2020, imdb_id="tt7654321"))
    assert first.pk == second.pk


def test_a_remake_years_apart_is_another_work():
    original = work_find_or_create(details("Quiet Shore", 1962))
    remake = work_find_or_create(details("Quiet Shore", 2004))
    assert original.pk != remake.pk


def test_same_title_other_type_is_another_work():
    film = work_find_or_create(details("Quiet Shore", 2004))
    book = work_find_or_create(details("Quiet Shore", 2004, WorkType.BOOK))
    assert film.pk != book.pk


def test_missing_identifier_is_filled_in_on_the_shared_work():
    work = work_find_or_create(details("Night Harbor"))
    work_find_or_create(details("Night Harbor", imdb_id="tt7654321"))
    work.refresh_from_db()
    assert work.imdb_id == "tt7654321"


def test_contradicting_identifier_is_refused_with_the_registered_one():
    work_find_or_create(details("Night Harbor", imdb_id="tt7654321"))
    with pytest.raises(ValidationError, match="tt7654321"):
        work_find_or_create(details("Night Harbor", imdb_id="tt1111111"))


def test_identifiers_of_two_different_works_are_refused():
    work_find_or_create(details("Night Harbor", imdb_id="tt7654321"))
    work_find_or_create(details("Quiet Shore", 2004, isbn="9780306406157"))
    with pytest.raises(ValidationError, match="different registered works"):
        work_find_or_create(details("Anything", imdb_id="tt7654321", isbn="9780306406157"))


def test_episodes_with_the_same_title_in_different_series_are_different_works():
    first = work_find_or_create(
        WorkDetails(
            title="Pilot", year=2020, work_type=WorkType.TV_EPISODE, series_title="Harbor Lights", season=1, episode=1
        )
    )
    second = work_find_or_create(
        WorkDetails(
            title="Pilot", year=2020, work_type=WorkType.TV_EPISODE, series_title="Quiet Shore", season=1, episode=1
        )
    )
    assert first.pk != second.pk
    assert first.display_title == "Harbor Lights S01E01: Pilot"
