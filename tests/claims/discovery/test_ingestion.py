"""Loading manifests into the database: rows, rejections, replacement, cancel, restart."""

import gzip
import json

import pytest
from django.core import mail

from claims.enums import ManifestStatus
from claims.models import Manifest, ManifestEntry
from claims.selectors.discovery.training_sets import manifest_search
from claims.services.discovery.ingestion import manifest_ingest, manifest_request_cancel, manifest_upload
from tests.factories import load_manifest, make_training_set

pytestmark = pytest.mark.django_db

FILMS = (
    "title,year,director,imdb id,language\n"
    '"Night Harbor, The (2019)",,Jane Roe,tt7654321,en\n'
    "Quiet Shore (a.k.a. Still Water) (2004),,,,fr\n"
    ",1999,,,\n"
    "Long Road,3019,,,\n"
)


def test_csv_loads_entries_with_row_numbers_and_lists_rejections():
    manifest = load_manifest(make_training_set(), FILMS)
    assert manifest.status == ManifestStatus.ACTIVE
    assert (manifest.rows_read, manifest.rows_loaded, manifest.rows_rejected) == (4, 2, 2)
    harbor = ManifestEntry.objects.get(manifest=manifest, row_number=2)
    assert harbor.raw_title == "Night Harbor, The (2019)"
    assert harbor.year == 2019 and harbor.imdb_id == "tt7654321" and harbor.creators == "Jane Roe"
    assert harbor.extra == {"language": "en"}
    shore = ManifestEntry.objects.get(manifest=manifest, row_number=3)
    assert shore.year == 2004 and "Still Water" in shore.alternate_titles
    assert list(manifest.rejections.values_list("row_number", "reason")) == [
        (4, "title is missing"),
        (5, "year 3019 is outside 1450–2031".replace("2031", str(manifest.created_at.year + 5))),
    ]
    assert manifest.training_set.current_manifest == manifest


def test_gzipped_json_lines_load():
    rows = [
        {"title": "Jane Roe - The Quiet Shore (The Shore Trilogy, #2) [retail].epub"},
        {"title": "The_Night_Harbor-Doe.txt", "isbn": "0306406152"},
    ]
    content = gzip.compress("\n".join(json.dumps(row) for row in rows).encode())
    manifest = load_manifest(make_training_set(name="Books3", media=("books_text",)), content, name="books.jsonl.gz")
    assert manifest.rows_loaded == 2
    first = ManifestEntry.objects.get(manifest=manifest, row_number=1)
    assert first.title == "The Quiet Shore" and first.creators == "Jane Roe"
    assert ManifestEntry.objects.get(manifest=manifest, row_number=2).isbn == "9780306406157"


def test_new_version_replaces_the_old_one_atomically():
    training_set = make_training_set()
    first = load_manifest(training_set, "title,year\nOld Film,2001\n")
    seen_during_load = []

    second = manifest_upload(
        training_set=training_set,
        upload=_upload("title,year\nNew Film,2002\nOther,2003\n"),
        uploaded_by=None,
        queue=False,
    )

    def look(manifest):
        training_set.refresh_from_db()
        current = training_set.current_manifest
        seen_during_load.append((current.pk, [e.title for e in manifest_search(manifest=current, query="film")]))

    manifest_ingest(manifest_id=second.pk, on_progress=look)
    assert seen_during_load == [(first.pk, ["Old Film"])]
    training_set.refresh_from_db()
    first.refresh_from_db()
    assert training_set.current_manifest_id == second.pk
    assert first.status == ManifestStatus.SUPERSEDED
    assert [e.title for e in manifest_search(manifest=training_set.current_manifest, query="film")] == ["New Film"]


def test_cancel_stops_the_load_and_changes_nothing_for_members():
    training_set = make_training_set()
    first = load_manifest(training_set, "title,year\nOld Film,2001\n")
    second = manifest_upload(
        training_set=training_set, upload=_upload("title\n" + "A Film\n" * 12_000), uploaded_by=None, queue=False
    )
    manifest_ingest(manifest_id=second.pk, on_progress=lambda manifest: manifest_request_cancel(manifest=manifest))
    second.refresh_from_db()
    training_set.refresh_from_db()
    assert second.status == ManifestStatus.CANCELLED
    assert not ManifestEntry.objects.filter(manifest=second).exists()
    assert training_set.current_manifest_id == first.pk


def test_a_file_without_a_title_column_fails_with_a_clear_error():
    training_set = make_training_set()
    manifest = load_manifest(training_set, "name of film?,year\nx,2000\n".replace("name of film?", "movie"))
    assert manifest.status == ManifestStatus.FAILED
    assert "No title column" in manifest.error
    training_set.refresh_from_db()
    assert training_set.current_manifest is None


def test_too_many_entries_fail_the_whole_manifest(settings):
    settings.MANIFEST_MAX_ENTRIES = 3
    manifest = load_manifest(make_training_set(), "title\nA\nB\nC\nD\n")
    assert manifest.status == ManifestStatus.FAILED and "more than 3 entries" in manifest.error
    assert not manifest.entries.exists()


def test_a_restarted_load_after_a_worker_died_does_not_duplicate_entries():
    training_set = make_training_set()
    manifest = manifest_upload(
        training_set=training_set, upload=_upload("title\nA\nB\n"), uploaded_by=None, queue=False
    )
    manifest_ingest(manifest_id=manifest.pk)
    # The worker died after loading but before the task was acknowledged: it is delivered again
    # to a manifest that still says "loading".
    Manifest.objects.filter(pk=manifest.pk).update(status=ManifestStatus.LOADING)
    manifest_ingest(manifest_id=manifest.pk)
    assert ManifestEntry.objects.filter(manifest=manifest).count() == 2


def test_a_finished_manifest_is_not_loaded_again():
    manifest = load_manifest(make_training_set(), "title\nA\n", match=False)
    assert manifest_ingest(manifest_id=manifest.pk) is None
    assert manifest.entries.count() == 1


def test_formulas_and_html_in_titles_are_stored_as_text():
    manifest = load_manifest(
        make_training_set(), 'title,year\n"=HYPERLINK(""http://x"")",2001\n<script>x</script>,2002\n'
    )
    assert set(manifest.entries.values_list("raw_title", flat=True)) == {'=HYPERLINK("http://x")', "<script>x</script>"}
    assert not mail.outbox


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("listing.csv", text.encode())


def test_backslashes_tabs_and_line_breaks_in_titles_are_stored_exactly():
    title = "C:\\\\Films\\\\Night\tHarbor\nPart 2 \\N"
    manifest = load_manifest(make_training_set(), f'title,year\n"{title}",2001\n', match=False)
    assert manifest.entries.get().raw_title == title


def test_deleting_a_manifest_deletes_its_entries():
    # The database no longer checks entries' manifest (see ManifestEntry.manifest): Django's cascade must.
    manifest = load_manifest(make_training_set(), "title,year\nOld Film,2001\nOther,2003\n", match=False)
    manifest_id = manifest.pk
    manifest.delete()
    assert not ManifestEntry.objects.filter(manifest_id=manifest_id).exists()
