"""Credit CSV import and export pages.

A member's import runs in the request (it is small: see MEMBER_MAX_ROWS); a
staff roster import is stored and handed to Celery (credit_import_start decides),
and its page polls for progress every 2 s until the import is finished (HTTP 286
stops the polling).
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from members.enums import ImportScope, Job, WorkType
from members.forms_imports import CreditImportForm, too_large_message
from members.models import CreditImport
from members.permissions import member_required, staff_required
from members.services.credit_export import credit_export_csv, credit_export_filename
from members.services.credit_import import COLUMNS, MEMBER_MAX_ROWS, REQUIRED_COLUMNS, credit_import_start
from members.vocabulary import JOB_EXAMPLES, active_unions
from portal.spreadsheets import csv_writer
from portal.web import CSV_CONTENT_TYPE, private_attachment, progress_fragment

# Multipart framing around the file: a body larger than the limit plus this holds too big a file.
UPLOAD_OVERHEAD_BYTES = 64 * 1024

MEMBER_EXAMPLE = [
    ["title", "year", "work_type", "job", "identifier", "character"],
    ["Night Harbor", "2019", "Feature film", "Actor", "tt1234567", "Officer Diaz"],
    ["The Long Shift", "2022", "TV episode", "Supporting performer", "", "Nurse Kim"],
    ["Salt and Iron", "2021", "Book", "Author", "978-0-306-40615-7", ""],
]
ROSTER_EXAMPLE = [
    list(COLUMNS),
    [
        "maria@example.org",
        "Maria Santos",
        "SAG-AFTRA",
        "Night Harbor",
        "2019",
        "Feature",
        "Actor",
        "tt1234567",
        "Officer Diaz",
        "1234567",
    ],
    ["sam@example.org", "Sam Okafor", "Local 600", "Night Harbor", "2019", "Feature", "DP", "", "", ""],
]


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def _example_csv(rows: list[list[str]], filename: str) -> HttpResponse:
    response = private_attachment(filename=filename, content_type=CSV_CONTENT_TYPE)
    csv_writer(response).writerows(rows)
    return response


def _vocabulary() -> dict:
    """What the work_type, job and union columns accept, for the page's reference list."""
    return {"work_types": WorkType.labels, "jobs": Job.labels, "job_examples": JOB_EXAMPLES, "unions": active_unions()}


def _refusal(request, *, max_bytes: int) -> str | None:
    """Why a request body is too large to hold an allowed file, before the form handles it.

    Django's CSRF check may already have parsed the body into a temporary file; stopping a
    huge upload at the door is the web server's job (its request body limit).
    """
    size = int(request.META.get("CONTENT_LENGTH") or 0)
    if size > max_bytes + UPLOAD_OVERHEAD_BYTES:
        return too_large_message(size=size, max_bytes=max_bytes)
    return None


def _render_import(request, template: str, credit_import: CreditImport, poll: bool = False):
    context = {"credit_import": credit_import, "poll": poll}
    if request.htmx:
        return progress_fragment(
            request, template=f"{template}#result", context=context, finished=credit_import.is_finished
        )
    return render(request, template, context)


@member_required
def member_import(request, *, member):
    if request.GET.get("download") == "example":
        return _example_csv(MEMBER_EXAMPLE, "credits-example.csv")
    max_bytes = settings.CREDIT_IMPORT_MEMBER_MAX_BYTES
    form = CreditImportForm(scope=ImportScope.MEMBER, max_bytes=max_bytes)
    refusal = _refusal(request, max_bytes=max_bytes) if request.method == "POST" else None
    if request.method == "POST" and not refusal:
        form = CreditImportForm(request.POST, request.FILES, scope=ImportScope.MEMBER, max_bytes=max_bytes)
        if form.is_valid():
            credit_import = credit_import_start(
                scope=ImportScope.MEMBER,
                uploaded_by=request.user,
                member=member,
                upload=form.cleaned_data["file"],
                site_url=_site_url(request),
            )
            return redirect("members:credit_import_detail", credit_import.pk)
    return render(
        request,
        "members/credit_import.html",
        {
            "form": form,
            "refusal": refusal,
            "imports": member.credit_imports.filter(scope=ImportScope.MEMBER)[:10],
            "required_columns": REQUIRED_COLUMNS[ImportScope.MEMBER],
            "max_rows": MEMBER_MAX_ROWS,
            **_vocabulary(),
        },
    )


@member_required
def member_import_detail(request, pk, *, member):
    credit_import = get_object_or_404(CreditImport, pk=pk, member=member, scope=ImportScope.MEMBER)
    return _render_import(request, "members/credit_import_detail.html", credit_import)


@member_required
def member_export(request, *, member):
    response = private_attachment(filename=credit_export_filename(member=member), content_type=CSV_CONTENT_TYPE)
    credit_export_csv(member=member, out=response)
    return response


@staff_required
def staff_import(request):
    if request.GET.get("download") == "example":
        return _example_csv(ROSTER_EXAMPLE, "roster-example.csv")
    max_bytes = settings.CREDIT_IMPORT_STAFF_MAX_BYTES
    form = CreditImportForm(scope=ImportScope.ROSTER, max_bytes=max_bytes)
    refusal = _refusal(request, max_bytes=max_bytes) if request.method == "POST" else None
    if request.method == "POST" and not refusal:
        form = CreditImportForm(request.POST, request.FILES, scope=ImportScope.ROSTER, max_bytes=max_bytes)
        if form.is_valid():
            credit_import = credit_import_start(
                scope=ImportScope.ROSTER,
                uploaded_by=request.user,
                upload=form.cleaned_data["file"],
                site_url=_site_url(request),
            )
            return redirect("members:staff_credit_import_detail", credit_import.pk)
    imports = CreditImport.objects.filter(scope=ImportScope.ROSTER).select_related("uploaded_by")[:25]
    return render(
        request,
        "staff/credit_import.html",
        {
            "form": form,
            "refusal": refusal,
            "imports": imports,
            "columns": COLUMNS,
            "required_columns": REQUIRED_COLUMNS[ImportScope.ROSTER],
            **_vocabulary(),
        },
    )


@staff_required
def staff_import_detail(request, pk):
    credit_import = get_object_or_404(
        CreditImport.objects.select_related("uploaded_by"), pk=pk, scope=ImportScope.ROSTER
    )
    return _render_import(request, "staff/credit_import_detail.html", credit_import, poll=True)
