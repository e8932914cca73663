"""The public "verify a statement" form."""

from django import forms


class StatementVerifyForm(forms.Form):
    number = forms.CharField(
        label="Statement number", max_length=40, help_text="As printed at the top of the statement."
    )
    fingerprint = forms.RegexField(
        label="Fingerprint",
        regex=r"^\s*[0-9a-fA-F]{64}\s*$",
        max_length=80,
        help_text="The 64 letters and digits printed under “Is this statement genuine?”.",
        error_messages={"invalid": "A fingerprint is 64 letters (a to f) and digits."},
    )
