"""Form fields named like BaseForm's own attributes (`media`, `files`), which the type stubs flag.

Django's form metaclass takes declared fields out of the class, so `form.media` stays the
widgets' Media and `form.files` the uploaded files; the fields are reached as `form["media"]`
and `form["files"]`. These tests hold that, which is what the `type: ignore` on them relies on.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.widgets import Media
from django.utils.datastructures import MultiValueDict

from claims.forms.claims import ClaimAnswerForm, ClaimSearchForm
from claims.forms.discovery import TrainingSetForm
from tests.factories import make_credit, make_work

pytestmark = pytest.mark.django_db


def test_training_set_form_media_field_leaves_widget_media_alone():
    form = TrainingSetForm(
        data={"name": "OpenSubs", "version": "2024", "developer": "Acme AI", "media": ["subtitles", "scripts"]}
    )

    assert isinstance(form.media, Media)
    assert str(form.media) == ""
    assert form["media"].label == "Media"
    assert 'value="subtitles"' in str(form["media"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["media"] == ["subtitles", "scripts"]


def test_claim_answer_form_files_field_leaves_uploaded_files_alone():
    uploads = MultiValueDict(
        {
            "files": [
                SimpleUploadedFile("call-sheet.txt", b"Call sheet, day 3", content_type="text/plain"),
                SimpleUploadedFile("contract.txt", b"Contract", content_type="text/plain"),
            ]
        }
    )
    form = ClaimAnswerForm(data={"answer": "Here they are.", "kind": "other"}, files=uploads)

    assert form.files is uploads
    assert form["files"].label == "Files (optional)"
    assert form.is_valid(), form.errors
    assert [upload.name for upload in form.cleaned_data["files"]] == ["call-sheet.txt", "contract.txt"]


def test_claim_search_form_lists_credits_by_work_year_and_job(member):
    make_credit(member, make_work(title="The Night Harbor", year=2019), job="principal")

    form = ClaimSearchForm(member=member)

    labels = [label for value, label in form.fields["credit"].choices if value]
    assert labels == ["The Night Harbor (2019) · Principal performer"]
