"""Staff pages for training sets and their manifests (claims.views.discovery.manifests): recording a
set, uploading a listing, its progress, cancelling a load, the CSV of matches; members get 403."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Manifest, TrainingSet
from tests.factories import load_manifest, make_credit, make_training_set, make_work

pytestmark = pytest.mark.django_db

# found's listing (tests/claims/conftest.py): a title, a formula, markup.
LISTING = 'title,year\n"Night Harbor, The (2019)",\n=HYPERLINK("http://evil"),2001\n<b>Bold Title</b>,2002\n'


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


def test_manifest_upload_of_another_kind_of_file_is_refused(verifier_client):
    training_set = make_training_set()
    response = verifier_client.post(
        reverse("claims:manifest_upload", args=[training_set.pk]),
        {"file": SimpleUploadedFile("listing.xlsx", b"PK...")},
    )
    assert "Upload a .csv, .tsv, .jsonl" in response.content.decode()
    assert not Manifest.objects.exists()


def test_manifest_upload_too_large_is_refused_before_it_is_stored(verifier_client, settings):
    settings.MANIFEST_MAX_BYTES = 1_000_000
    training_set = make_training_set()
    response = verifier_client.post(
        reverse("claims:manifest_upload", args=[training_set.pk]),
        {"file": SimpleUploadedFile("big.csv", b"title\n" + b"x" * 3_000_000)},
    )
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert not Manifest.objects.exists()


def test_manifest_progress_fragment_stops_polling_when_the_load_is_finished(verifier_client, found):
    manifest = found.entry.manifest
    response = verifier_client.get(
        reverse("claims:manifest_detail", args=[manifest.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 286
    content = response.content.decode()
    assert "Current" in content and "100%" in content and "<html" not in content


def test_manifest_progress_fragment_keeps_polling_while_loading(verifier_client):
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
