"""Discovery in the database: matches stored once, decisions kept, one email per member and set."""

import pytest
from django.core import mail

from claims.enums import MatchStatus
from claims.models import Match
from claims.services.discovery import matching as discovery
from claims.services.discovery.decisions import match_decide
from claims.services.discovery.matching import credits_match, manifest_match
from members.enums import WorkType
from tests.factories import load_manifest, make_credit, make_member, make_training_set, make_work

pytestmark = pytest.mark.django_db

LISTING = 'title,year,imdb\n"Night Harbor, The (2019)",,\nQuiet Shore,2004,\nUnrelated Picture,2010,\n'


@pytest.fixture
def actor(member):
    make_credit(member, make_work(title="The Night Harbor", year=2019), credited_as="Harbor Master")
    make_credit(member, make_work(title="Quiet Shore", year=2004), job="supporting")
    make_credit(member, make_work(title="Quiet Shore", year=1962))  # the original, not in the set
    return member


def test_members_works_are_found_with_score_method_and_reason(actor):
    training_set = make_training_set()
    load_manifest(training_set, LISTING)
    matches = {m.credit.work.year: m for m in Match.objects.filter(credit__member=actor).select_related("credit__work")}
    assert set(matches) == {2019, 2004}
    harbor = matches[2019]
    assert harbor.entry.raw_title == "Night Harbor, The (2019)"
    assert harbor.score >= 90 and harbor.method == "exact"
    assert "2019" in harbor.reason


def test_one_email_per_member_per_set_listing_all_new_matches(actor, other_member, django_capture_on_commit_callbacks):
    make_credit(other_member, make_work(title="Unrelated Picture", year=2010))
    with django_capture_on_commit_callbacks(execute=True):
        load_manifest(make_training_set(), LISTING)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {actor.user.email, other_member.user.email}
    body = by_recipient[actor.user.email].body
    assert "Night Harbor, The (2019)" in body and "Quiet Shore" in body
    assert "OpenSubs 2024" in by_recipient[actor.user.email].subject


def test_rerunning_matching_never_duplicates_or_resends(actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        manifest = load_manifest(make_training_set(), LISTING)
    count = Match.objects.count()
    sent = len(mail.outbox)
    assert sent == 1
    with django_capture_on_commit_callbacks(execute=True):
        manifest_match(manifest_id=manifest.pk)
    assert Match.objects.count() == count
    assert len(mail.outbox) == sent


@pytest.fixture(params=["few credits", "a whole match run"])
def credits_at_once(request, monkeypatch):
    """_store looks up earlier decisions and notifications by credit for a few credits, by set for many."""
    if request.param == "a whole match run":
        monkeypatch.setattr(discovery, "MANY_CREDITS", 0)
    return request.param


def test_not_mine_survives_a_rerun_and_a_new_version_of_the_manifest(actor, credits_at_once):
    training_set = make_training_set()
    manifest = load_manifest(training_set, LISTING)
    shore = Match.objects.get(credit__member=actor, credit__work__year=2004)
    match_decide(match=shore, decision=MatchStatus.DISMISSED)
    manifest_match(manifest_id=manifest.pk)
    shore.refresh_from_db()
    assert shore.status == MatchStatus.DISMISSED
    newer = load_manifest(training_set, LISTING + "Another Film,2020,\n")
    reloaded = Match.objects.get(credit__member=actor, credit__work__year=2004, entry__manifest=newer)
    assert reloaded.status == MatchStatus.DISMISSED


def test_a_new_credit_is_matched_against_loaded_sets(member, django_capture_on_commit_callbacks):
    training_set = make_training_set()
    load_manifest(training_set, LISTING)
    credit = make_credit(member, make_work(title="Unrelated Picture", year=2010))
    with django_capture_on_commit_callbacks(execute=True):
        credits_match(credit_ids=[credit.pk])
    assert Match.objects.filter(credit=credit, training_set=training_set).exists()
    assert any("Unrelated Picture" in message.body for message in mail.outbox)


def test_books_need_the_member_as_creator(db):
    author = make_member(legal_name="Jane Roe")
    namesake = make_member(legal_name="Pat Smith")
    make_credit(author, make_work(title="The Quiet Shore", year=2015, work_type=WorkType.BOOK), job="author")
    make_credit(namesake, make_work(title="The Quiet Shore", year=2015, work_type=WorkType.BOOK), job="author")
    load_manifest(
        make_training_set(name="Books3", media=("books_text",)),
        "title\nJane Roe - The Quiet Shore.epub\n",
        name="books3.csv",
    )
    assert list(Match.objects.values_list("credit__member__legal_name", flat=True)) == ["Jane Roe"]


def test_identifier_decides_over_the_title(member):
    make_credit(member, make_work(title="Harbour at Night", year=2019, imdb_id="tt7654321"))
    load_manifest(make_training_set(), "title,year,imdb\nNight Harbor,2019,tt7654321\n")
    match = Match.objects.get(credit__member=member)
    assert match.method == "identifier" and match.score == 100


def test_a_new_version_of_the_manifest_does_not_tell_members_again(
    actor, django_capture_on_commit_callbacks, credits_at_once
):
    training_set = make_training_set()
    with django_capture_on_commit_callbacks(execute=True):
        load_manifest(training_set, LISTING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        load_manifest(training_set, LISTING + "Another Film,2020,\n")
    assert mail.outbox == []


def test_opensubtitles_bare_imdb_number_matches_the_credits_imdb_id(member):
    make_credit(member, make_work(title="Harbour at Night", year=2019, imdb_id="tt7654321"))
    load_manifest(make_training_set(), "MovieName,MovieYear,IDMovieImdb\nNight Harbor,2019,7654321\n")
    assert Match.objects.get(credit__member=member).method == "identifier"
