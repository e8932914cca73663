"""A manifest load is a job that never sticks: it ends current, failed with its reason, or cancelled."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.enums import ManifestStatus
from claims.models import Manifest, ManifestEntry
from claims.services.discovery.ingestion import manifest_ingest, manifest_request_cancel, manifest_upload
from claims.services.discovery.manifests import ALLOWED_TRANSITIONS, manifest_transition
from tests.factories import load_manifest, make_training_set

pytestmark = pytest.mark.django_db

# More rows than one chunk (CHUNK_ROWS), so the job reports progress part-way.
TWO_CHUNKS = "title\n" + "".join(f"Film {n}\n" for n in range(6_000))


def _queued(training_set, text: str = "title,year\nNew Film,2002\n") -> Manifest:
    upload = SimpleUploadedFile("listing.csv", text.encode())
    return manifest_upload(training_set=training_set, upload=upload, uploaded_by=None, queue=False)


def test_a_queued_manifest_is_cancelled_at_once_and_its_late_job_loads_nothing():
    manifest = _queued(make_training_set())
    assert manifest_request_cancel(manifest=manifest)
    assert manifest.status == ManifestStatus.CANCELLED and manifest.finished_at is not None
    assert manifest_ingest(manifest_id=manifest.pk) is None
    manifest.refresh_from_db()
    assert manifest.status == ManifestStatus.CANCELLED and manifest.error == "Cancelled by staff; nothing was changed."
    assert not manifest.entries.exists()


def test_a_load_whose_worker_died_can_still_be_cancelled():
    manifest = _queued(make_training_set())
    Manifest.objects.filter(pk=manifest.pk).update(status=ManifestStatus.LOADING, attempts=1)  # the worker died
    assert manifest_request_cancel(manifest=manifest)
    manifest.refresh_from_db()
    assert manifest.status == ManifestStatus.CANCELLED and manifest.cancel_requested


def test_a_finished_manifest_cannot_be_cancelled():
    manifest = load_manifest(make_training_set(), "title\nA\n", match=False)
    assert not manifest_request_cancel(manifest=manifest)
    manifest.refresh_from_db()
    assert manifest.status == ManifestStatus.ACTIVE


def test_a_load_that_breaks_unexpectedly_ends_failed_and_members_keep_the_previous_version():
    training_set = make_training_set()
    first = load_manifest(training_set, "title,year\nOld Film,2001\n", match=False)
    second = _queued(training_set)
    second.file.storage.delete(second.file.name)  # the stored upload is gone
    second = manifest_ingest(manifest_id=second.pk)
    assert second.status == ManifestStatus.FAILED and second.finished_at is not None
    assert "internal error" in second.error
    training_set.refresh_from_db()
    assert training_set.current_manifest_id == first.pk


def test_a_job_given_up_for_dead_does_not_undo_the_load_that_replaced_it():
    manifest = _queued(make_training_set(), TWO_CHUNKS)
    redelivered = []

    def redeliver_once(seen):
        # The broker hands the task to another worker while the first is still loading.
        if not redelivered:
            redelivered.append(manifest_ingest(manifest_id=seen.pk))

    manifest_ingest(manifest_id=manifest.pk, on_progress=redeliver_once)
    manifest.refresh_from_db()
    assert redelivered[0].status == ManifestStatus.ACTIVE
    assert manifest.status == ManifestStatus.ACTIVE and manifest.attempts == 2
    assert ManifestEntry.objects.filter(manifest=manifest).count() == 6_000
    assert manifest.training_set.current_manifest_id == manifest.pk


def test_every_finished_state_is_final_except_current_which_can_only_be_replaced():
    assert ALLOWED_TRANSITIONS[ManifestStatus.ACTIVE] == {ManifestStatus.SUPERSEDED}
    for final in (ManifestStatus.SUPERSEDED, ManifestStatus.FAILED, ManifestStatus.CANCELLED):
        assert final not in ALLOWED_TRANSITIONS
    manifest = load_manifest(make_training_set(), "title\nA\n", match=False)
    with pytest.raises(ValueError, match="cannot go from active to loading"):
        manifest_transition(manifest=manifest, to=ManifestStatus.LOADING)


def test_a_move_from_a_state_the_manifest_has_left_changes_nothing():
    manifest = _queued(make_training_set())
    stale = Manifest.objects.get(pk=manifest.pk)
    assert manifest_transition(manifest=manifest, to=ManifestStatus.CANCELLED)
    assert not manifest_transition(manifest=stale, to=ManifestStatus.LOADING)
    assert Manifest.objects.get(pk=manifest.pk).status == ManifestStatus.CANCELLED


def test_staff_cancel_a_queued_manifest_and_see_it_cancelled(verifier_client):
    manifest = _queued(make_training_set())
    response = verifier_client.post(reverse("claims:manifest_cancel", args=[manifest.pk]), follow=True)
    page = response.content.decode()
    assert "Cancelled: loading stops, and nothing changes for members." in page
    assert "Cancelled by staff; nothing was changed." in page and "Cancel loading" not in page


def test_member_cannot_cancel_a_load(member_client):
    manifest = _queued(make_training_set())
    assert member_client.post(reverse("claims:manifest_cancel", args=[manifest.pk])).status_code == 403
    manifest.refresh_from_db()
    assert manifest.status == ManifestStatus.QUEUED
