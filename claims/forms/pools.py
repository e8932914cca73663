"""Forms for union staff: record a residual pool, confirm issuing it."""

from decimal import Decimal

from django import forms

from claims.models import TrainingSet
from claims.services.residuals.pools import DEFAULT_WEIGHTS, PoolDetails
from members.enums import CreditCategory

MONEY_HELP = "In the currency below, to the cent."


class PoolForm(forms.Form):
    payer = forms.CharField(label="Paid by (AI developer)", max_length=200)
    training_sets = forms.ModelMultipleChoiceField(
        queryset=TrainingSet.objects.order_by("name", "version"),
        widget=forms.CheckboxSelectMultiple,
        help_text="The works of these sets share the pool.",
    )
    period_start = forms.DateField(label="Period from", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="Period to", widget=forms.DateInput(attrs={"type": "date"}))
    gross_amount = forms.DecimalField(
        label="Amount paid (gross)", max_digits=14, decimal_places=2, min_value=Decimal("0.01"), help_text=MONEY_HELP
    )
    currency = forms.RegexField(
        regex=r"^[A-Za-z]{3}$",
        initial="USD",
        max_length=3,
        help_text="Three-letter code, such as USD or EUR.",
        error_messages={"invalid": "Enter a three-letter currency code, such as USD."},
    )
    admin_fee_percent = forms.DecimalField(
        label="Union administration fee (%)",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=Decimal("0"),
    )
    payment_threshold = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=0,
        initial=Decimal("10.00"),
        help_text="A member owed less than this in total has it carried forward to their next statement.",
    )
    weight_performer = forms.DecimalField(
        label="Performers' weight",
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=DEFAULT_WEIGHTS[CreditCategory.PERFORMER],
    )
    weight_writer = forms.DecimalField(
        label="Writers' weight",
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=DEFAULT_WEIGHTS[CreditCategory.WRITER],
    )
    weight_crew = forms.DecimalField(
        label="Crew's weight",
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=DEFAULT_WEIGHTS[CreditCategory.CREW],
        help_text="Weights are shares of each work; a category with no claimant "
        "on a work is left out and the others re-normalised.",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period cannot end before it starts.")
        return data

    def details(self) -> PoolDetails:
        data = self.cleaned_data
        return PoolDetails(
            payer=data["payer"],
            training_sets=list(data["training_sets"]),
            period_start=data["period_start"],
            period_end=data["period_end"],
            gross_amount=data["gross_amount"],
            currency=data["currency"].upper(),
            admin_fee_percent=data["admin_fee_percent"],
            payment_threshold=data["payment_threshold"],
            category_weights={category.value: data[f"weight_{category.value}"] for category in CreditCategory},
        )


class PoolIssueForm(forms.Form):
    """The confirmation: the fingerprint of the preview staff saw, so they issue exactly that."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(label="I have checked these figures; issue the pool and send statements.")
