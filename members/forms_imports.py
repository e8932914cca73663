"""The credit CSV upload form: size, file type and header are checked before anything is stored."""

from django import forms
from django.template.defaultfilters import filesizeformat

from members.services.credit_import import ImportFileError, check_header

# What a workbook or a UTF-16 "Unicode text" export starts with; neither is a CSV we can read.
NOT_CSV_SIGNATURES = {
    b"PK\x03\x04": "This is an Excel or other spreadsheet workbook, not a CSV file.",
    b"\xd0\xcf\x11\xe0": "This is an old Excel workbook (.xls), not a CSV file.",
    b"\xff\xfe": "This file is UTF-16 text, not UTF-8.",
    b"\xfe\xff": "This file is UTF-16 text, not UTF-8.",
}
SAVE_AS_CSV = " In your spreadsheet, choose File › Save As › “CSV UTF-8 (comma-delimited)” and upload that file."


def too_large_message(*, size: int, max_bytes: int) -> str:
    return (
        f"The file is {filesizeformat(size)}, more than the limit of {filesizeformat(max_bytes)}. "
        "Split it into smaller files and upload them one by one."
    )


class CreditImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A .csv file saved as UTF-8, with the column names on the first line.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, scope: str, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope, self.max_bytes = scope, max_bytes
        self.fields["file"].help_text += f" At most {filesizeformat(max_bytes)}."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(too_large_message(size=upload.size, max_bytes=self.max_bytes), code="too_large")
        start = upload.read(4)
        upload.seek(0)
        for signature, problem in NOT_CSV_SIGNATURES.items():
            if start.startswith(signature):
                raise forms.ValidationError(problem + SAVE_AS_CSV, code="not_csv")
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Upload a file ending in .csv." + SAVE_AS_CSV, code="not_csv")
        try:
            check_header(upload=upload, scope=self.scope)
        except ImportFileError as error:
            raise forms.ValidationError(error.message, code="bad_header") from None
        return upload
