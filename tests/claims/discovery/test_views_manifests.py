"""Training-set pages for members and staff: who sees what, search, uploads, progress, matches."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.enums import MatchStatus
from claims.models import Manifest, Match, MatchDecision, TrainingSet
from tests.factories import load_manifest, make_credit, make_training_set, make_work

pytestmark = pytest.mark.django_db

LISTING = 'title,year\n"Night Harbor, The (2019)",\n=HYPERLINK("http://evil"),2001\n<b>Bold Title</b>,2002\n'


@pytest.fixture
def found(member):
    make_credit(member, make_work(title="The Night Harbor", year=2019))
    training_set = make_training_set()
    load_manifest(training_set, LISTING)
    return Match.objects.get(credit__member=member)


STAFF_URLS = [
    ("claims:training_set_create", False),
    ("claims:training_set_edit", True),
    ("claims:manifest_upload", True),
    ("claims:match_export", True),
]


@pytest.mark.parametrize("name, with_pk", STAFF_URLS)
def test_member_on_staff_training_set_pages_is_403(member_client, name, with_pk):
    training_set = make_training_set()
    url = reverse(name, args=[training_set.pk] if with_pk else [])
    assert member_client.get(url).status_code == 403
    assert member_client.post(url).status_code == 403


def test_member_on_manifest_staff_pages_is_403(member_client, found):
    manifest = found.entry.manifest
    assert member_client.get(reverse("claims:manifest_detail", args=[manifest.pk])).status_code == 403
    assert member_client.post(reverse("claims:manifest_cancel", args=[manifest.pk])).status_code == 403


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


def test_member_searches_a_set_by_title_and_sees_text_not_markup(member_client, found):
    url = reverse("claims:training_set_detail", args=[found.training_set.pk])
    content = member_client.get(url, {"q": "night harbor"}).content.decode()
    assert "Night Harbor, The (2019)" in content
    content = member_client.get(url, {"q": "bold title"}).content.decode()
    assert "&lt;b&gt;Bold Title&lt;/b&gt;" in content and "<b>Bold Title</b>" not in content


def test_dashboard_shows_the_match_with_entry_score_and_reason(member_client, found):
    content = member_client.get(reverse("claims:dashboard")).content.decode()
    assert "Night Harbor, The (2019)" in content
    assert f"<strong>{found.score}</strong>" in content and "Claim this" in content and "Not mine" in content


def test_member_confirms_and_dismisses_own_matches(member_client, found):
    response = member_client.post(reverse("claims:match_confirm", args=[found.pk]), headers={"HX-Request": "true"})
    assert "You confirmed this" in response.content.decode()
    found.refresh_from_db()
    assert found.status == MatchStatus.CONFIRMED
    member_client.post(reverse("claims:match_dismiss", args=[found.pk]))
    found.refresh_from_db()
    assert found.status == MatchStatus.DISMISSED
    assert MatchDecision.objects.get(credit=found.credit).decision == MatchStatus.DISMISSED
    assert "Night Harbor, The (2019)" not in member_client.get(reverse("claims:dashboard")).content.decode()


def test_another_members_match_is_404(client, found, other_member):
    client.force_login(other_member.user)
    assert client.post(reverse("claims:match_confirm", args=[found.pk])).status_code == 404
    assert client.post(reverse("claims:match_dismiss", args=[found.pk])).status_code == 404
    found.refresh_from_db()
    assert found.status == MatchStatus.NEW


def test_staff_creates_a_training_set(verifier_client):
    response = verifier_client.post(
        reverse("claims:training_set_create"),
        {
            "name": "Books3",
            "version": "2020",
            "developer": "EleutherAI",
            "media": ["books_text"],
            "description": "",
            "documentation_url": "https://example.org/books3",
            "documentation_note": "",
            "discovered_on": "2023-08-01",
        },
    )
    training_set = TrainingSet.objects.get(name="Books3")
    assert response.url == reverse("claims:training_set_detail", args=[training_set.pk])
    assert training_set.media == ["books_text"]


def test_staff_uploads_a_manifest_and_is_sent_to_its_progress_page(verifier_client, django_capture_on_commit_callbacks):
    training_set = make_training_set()
    with django_capture_on_commit_callbacks() as callbacks:
        response = verifier_client.post(
            reverse("claims:manifest_upload", args=[training_set.pk]),
            {"file": SimpleUploadedFile("subs.csv.gz", b"\x1f\x8b not really")},
        )
    manifest = Manifest.objects.get()
    assert response.url == reverse("claims:manifest_detail", args=[manifest.pk])
    assert len(callbacks) == 1  # the load is queued only once the upload is committed
    assert manifest.original_name == "subs.csv.gz" and manifest.file.name.startswith("manifests/")
    assert "subs" not in manifest.file.name


def test_upload_of_another_kind_of_file_is_refused(verifier_client):
    training_set = make_training_set()
    response = verifier_client.post(
        reverse("claims:manifest_upload", args=[training_set.pk]),
        {"file": SimpleUploadedFile("listing.xlsx", b"PK...")},
    )
    assert "Upload a .csv, .tsv, .jsonl" in response.content.decode()
    assert not Manifest.objects.exists()


def test_oversized_upload_is_refused_before_it_is_stored(verifier_client, settings):
    settings.MANIFEST_MAX_BYTES = 1_000_000
    training_set = make_training_set()
    response = verifier_client.post(
        reverse("claims:manifest_upload", args=[training_set.pk]),
        {"file": SimpleUploadedFile("big.csv", b"title\n" + b"x" * 3_000_000)},
    )
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert not Manifest.objects.exists()


def test_progress_fragment_stops_polling_when_the_load_is_finished(verifier_client, found):
    manifest = found.entry.manifest
    response = verifier_client.get(
        reverse("claims:manifest_detail", args=[manifest.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 286
    content = response.content.decode()
    assert "Current" in content and "100%" in content and "<html" not in content


def test_progress_fragment_keeps_polling_while_loading(verifier_client):
    training_set = make_training_set()
    manifest = Manifest.objects.create(
        training_set=training_set,
        original_name="x.csv",
        file_size=1000,
        bytes_read=250,
        rows_read=5000,
        status="loading",
    )
    response = verifier_client.get(
        reverse("claims:manifest_detail", args=[manifest.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'hx-trigger="every 2s"' in content and "25%" in content and "5,000" in content


def test_staff_cancels_a_loading_manifest(verifier_client):
    manifest = Manifest.objects.create(training_set=make_training_set(), original_name="x.csv", status="loading")
    verifier_client.post(reverse("claims:manifest_cancel", args=[manifest.pk]))
    manifest.refresh_from_db()
    assert manifest.cancel_requested


def test_staff_downloads_matches_with_formulas_neutralised(verifier_client, member):
    make_credit(member, make_work(title='=HYPERLINK("http://evil")', year=2001))
    training_set = make_training_set()
    load_manifest(training_set, LISTING)
    response = verifier_client.get(reverse("claims:match_export", args=[training_set.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["member email", "credit title", "credit year"]
    assert rows[1][0] == "member@example.org"
    assert rows[1][1].startswith("'=") and rows[1][4].startswith("'=")


def test_search_finds_sequels_written_with_roman_numerals_or_digits(member_client):
    training_set = make_training_set()
    load_manifest(training_set, "title,year\nHarbor Lights 2,2012\n")
    url = reverse("claims:training_set_detail", args=[training_set.pk])
    assert "Harbor Lights 2" in member_client.get(url, {"q": "Harbor Lights II"}).content.decode()


def test_search_by_identifier(member_client):
    training_set = make_training_set()
    load_manifest(training_set, "title,year,imdb\nQuiet Shore,2004,tt0111161\n")
    url = reverse("claims:training_set_detail", args=[training_set.pk])
    assert "Quiet Shore" in member_client.get(url, {"q": "https://www.imdb.com/title/tt0111161/"}).content.decode()
