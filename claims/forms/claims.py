"""Forms for a member's claims. They check what was typed; the services decide and write.

None of them has a status or member field: those are never taken from what is posted.
"""

from decimal import Decimal
from typing import cast

from django import forms

from claims.enums import EvidenceKind
from claims.models import ManifestEntry, TrainingSet
from claims.selectors.claims.member_claims import claimable_credits, claimable_training_sets
from members.models import Credit, MemberProfile


class ClaimDraftForm(forms.Form):
    declared_share = forms.DecimalField(
        label="Your share (percent)",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "100", "inputmode": "decimal"}),
        help_text="Only if other people share your kind of credit on this work (co-writers, for example). "
        "Leave it empty if the shares are equal or you are the only one.",
    )
    statement = forms.CharField(
        label="Anything the union should know",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: where your name appears in the credits, or who hired you.",
    )


class EvidenceUploadForm(forms.Form):
    """One file at a time, from the claim page (its ids do not clash with the answer form's)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "evidence_%s")
        super().__init__(*args, **kwargs)

    kind = forms.ChoiceField(label="What is it?", choices=EvidenceKind.choices, initial=EvidenceKind.CONTRACT)
    file = forms.FileField(
        label="File",
        help_text="PDF, PNG, JPEG or plain text, up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.txt"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, as a list (empty when none is chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.txt"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ClaimAnswerForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "answer_%s")
        super().__init__(*args, **kwargs)

    answer = forms.CharField(label="Your answer", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    # As with TrainingSetForm.media: the metaclass moves the field out of the class, so `form.files`
    # stays the uploaded files and this field is `form["files"]` (tests/claims/test_form_field_names.py).
    files = MultipleFileField(  # type: ignore[assignment]
        label="Files (optional)",
        required=False,
        help_text="PDF, PNG, JPEG or plain text, up to 10 MB each. You can choose several.",
    )
    kind = forms.ChoiceField(label="What are the files?", choices=EvidenceKind.choices, initial=EvidenceKind.OTHER)


class ClaimWithdrawForm(forms.Form):
    message = forms.CharField(
        label="Why are you withdrawing it? (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _CreditChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Credit) -> str:
        return f"{obj.work.display_title} ({obj.work.year}) · {obj.get_job_display()}"


class ClaimSearchForm(forms.Form):
    """Step one of a claim by hand: which credit, which set, and what to look for in its listing."""

    # Querysets set per member in __init__.
    credit = _CreditChoiceField(label="Your credit", queryset=None, empty_label="Choose one of your credits")
    training_set: "forms.ModelChoiceField[TrainingSet]" = forms.ModelChoiceField(
        label="Training set", queryset=None, empty_label="Choose a training set"
    )
    q = forms.CharField(
        label="Search the listing",
        max_length=200,
        required=False,
        help_text="A title, a name or an identifier (IMDb id, ISBN). "
        "We search for your work's title if you leave this empty.",
    )

    def __init__(self, *args, member: MemberProfile, **kwargs):
        super().__init__(*args, **kwargs)
        credit_field = cast("forms.ModelChoiceField[Credit]", self.fields["credit"])
        credit_field.queryset = claimable_credits(member=member)
        training_set_field = cast("forms.ModelChoiceField[TrainingSet]", self.fields["training_set"])
        training_set_field.queryset = claimable_training_sets()


class ClaimStartForm(ClaimSearchForm):
    """Step two: the entries the member ticked. They must be in the set's current listing."""

    entries = forms.TypedMultipleChoiceField(
        label="Entries that are your work",
        coerce=int,
        choices=(),
        error_messages={"required": "Tick at least one entry."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any number is accepted here; clean() keeps only entries of the chosen set's listing.
        self.fields["entries"].valid_value = lambda value: True

    def clean(self):
        data = super().clean()
        training_set, ids = data.get("training_set"), data.get("entries")
        if training_set and ids:
            entries = list(ManifestEntry.objects.filter(pk__in=ids, manifest_id=training_set.current_manifest_id))
            if len(entries) != len(set(ids)):
                raise forms.ValidationError(
                    "Some of those entries are not in the current listing of this set. "
                    "Search again and tick them from the list."
                )
            data["entry_objects"] = entries
        return data
