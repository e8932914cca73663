"""Forms for training sets and manifest uploads. They validate; services write."""

from django import forms
from django.conf import settings

from claims.enums import Media
from claims.models import TrainingSet
from claims.services.discovery.training_sets import FIELDS as TRAINING_SET_FIELDS

MANIFEST_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json")


class TrainingSetForm(forms.ModelForm):
    # Named after the model field. The form's metaclass takes declared fields out of the class, so
    # `form.media` stays Django's widget Media and this field is `form["media"]`; the stubs see the
    # attribute as replacing BaseForm.media (tests/claims/test_form_field_names.py holds both).
    media = forms.MultipleChoiceField(  # type: ignore[assignment]
        choices=Media.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every kind of material the set contains.",
    )

    class Meta:
        model = TrainingSet
        fields = TRAINING_SET_FIELDS  # what training_set_save writes
        widgets = {
            "discovered_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class ManifestUploadForm(forms.Form):
    file = forms.FileField(
        label="Manifest file",
        help_text="CSV, TSV or JSON Lines, optionally gzip-compressed (.gz), up to 500 MB and 2,000,000 entries. "
        "The first line names the columns; a title column is required.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower().removesuffix(".gz")
        if not name.endswith(MANIFEST_SUFFIXES):
            raise forms.ValidationError(
                "Upload a .csv, .tsv, .jsonl or .json file, or one of those gzip-compressed (.gz)."
            )
        if upload.size > settings.MANIFEST_MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {settings.MANIFEST_MAX_BYTES // 1_000_000} MB.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class ManifestSearchForm(forms.Form):
    q = forms.CharField(label="Title, creator or identifier", max_length=200, required=False)
