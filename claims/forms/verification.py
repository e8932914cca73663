"""Forms for verifiers: the queue's filters, one action on a claim, bulk verify."""

from django import forms

from claims.enums import ClaimStatus, MatchMethod, RejectReason
from claims.models import Claim, TrainingSet
from claims.selectors.claims.verification import ACTIONS, SORT_OLDEST, SORTS, QueueFilters, unions_for_verifier
from members.models import Union

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]
AGES = [
    ("", "Any age"),
    ("7", "Waiting 7 days or more"),
    ("14", "Waiting 14 days or more"),
    ("30", "Waiting 30 days or more"),
    ("60", "Waiting 60 days or more"),
]


class QueueFilterForm(forms.Form):
    """GET filters of the queue; also what the CSV export and the page links carry."""

    union: "forms.ModelChoiceField[Union]" = forms.ModelChoiceField(
        queryset=None,  # the verifier's own unions, set in __init__
        required=False,
        empty_label="All my unions",
        label="Union or local",
        help_text="A union includes its locals.",
    )
    training_set = forms.ModelChoiceField(
        queryset=TrainingSet.objects.all(), required=False, empty_label="All training sets"
    )
    status = forms.ChoiceField(
        label="State",
        required=False,
        choices=[
            ("", "Open (submitted, in review, needs information, disputed)"),
            *[(value, label) for value, label in ClaimStatus.choices if value != ClaimStatus.DRAFT],
            ("any", "Any state"),
        ],
    )
    min_age_days = forms.TypedChoiceField(label="Age", choices=AGES, coerce=int, empty_value=None, required=False)
    conflicts = forms.ChoiceField(label="Conflicts with another member's claim", choices=YES_NO, required=False)
    evidence = forms.ChoiceField(label="Evidence sent", choices=YES_NO, required=False)
    method = forms.ChoiceField(label="Match method", choices=[("", "Any"), *MatchMethod.choices], required=False)
    min_score = forms.IntegerField(label="Best score at least", min_value=0, max_value=100, required=False)
    assigned = forms.ChoiceField(
        label="Assigned to", required=False, choices=[("", "Anyone"), ("me", "Me"), ("nobody", "Nobody yet")]
    )
    sort = forms.ChoiceField(label="Sort", choices=SORTS, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions_for_verifier(user=user)

    def filters(self) -> QueueFilters:
        """The filters to apply; an invalid value is ignored rather than showing an empty queue."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        )
        training_set = data.get("training_set")
        return QueueFilters(
            union=data.get("union"),
            training_set_id=training_set.pk if training_set else None,
            status=data.get("status") or "",
            min_age_days=data.get("min_age_days"),
            conflicts=data.get("conflicts") or "",
            evidence=data.get("evidence") or "",
            method=data.get("method") or "",
            min_score=data.get("min_score"),
            assigned=data.get("assigned") or "",
            sort=data.get("sort") or SORT_OLDEST,
        )


class ClaimActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS])
    seen_status = forms.ChoiceField(choices=ClaimStatus.choices, required=False)
    reason = forms.ChoiceField(label="Reason", choices=[("", "Choose a reason"), *RejectReason.choices], required=False)
    message = forms.CharField(
        label="Message to the member", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    internal_note = forms.CharField(
        label="Internal note for union staff", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )


class BulkVerifyForm(forms.Form):
    claims = forms.ModelMultipleChoiceField(queryset=Claim.objects.none())

    def __init__(self, *args, visible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].queryset = visible
