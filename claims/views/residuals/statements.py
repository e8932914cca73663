"""Residual statements: a member's own list and downloads; staff run progress, retries, corrections, downloads.

Files are never served from a media URL: every download goes through a view that filters by
owner (a member) or by the unions a verifier covers (staff), with a filename we choose.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims.enums import StatementStatus
from claims.models import Statement, StatementRun
from claims.selectors.residuals.statements import (
    member_statements,
    run_statements_for_staff,
    statements_visible_to_staff,
)
from claims.services.residuals.statements import run_progress, run_retry_failed
from claims.services.residuals.statements import statement_reissue as reissue
from claims.statement_data import lines_csv, statement_data_for
from members.permissions import member_required, staff_required

STATEMENTS_PER_PAGE = 50
FAILED_SHOWN = 200


def _private_headers[R: HttpResponseBase](response: R) -> R:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf_response(statement: Statement) -> FileResponse:
    if not statement.file:
        raise Http404("This statement has no file yet.")
    try:
        handle = statement.file.open("rb")
    except FileNotFoundError:
        raise Http404("This statement's file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        content_type="application/pdf",
        filename=f"residual-statement-{statement.number}.pdf",
    )
    return _private_headers(response)


@member_required
def statement_list(request, *, member):
    return render(request, "claims/residuals/statement_list.html", {"statements": member_statements(member=member)})


@member_required
def statement_download(request, pk, *, member):
    """The member's own current statement; any other statement number is 404."""
    return _pdf_response(get_object_or_404(member_statements(member=member), pk=pk))


@member_required
def statement_csv(request, pk, *, member):
    statement = get_object_or_404(member_statements(member=member).select_related("member__user"), pk=pk)
    response = HttpResponse(lines_csv(statement_data_for(statement)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="residual-statement-{statement.number}.csv"'
    return _private_headers(response)


@staff_required
def run_detail(request, pk):
    run = get_object_or_404(StatementRun.objects.select_related("pool", "started_by"), pk=pk)
    progress = run_progress(run)
    context = {"run": run, "progress": progress}
    if request.htmx:
        response = render(request, "claims/residuals/staff/run_detail.html#progress", context)
        if progress.finished:
            response.status_code = 286  # htmx: stop polling
        return response
    context["failed"] = list(
        run_statements_for_staff(user=request.user, run=run, status=StatementStatus.FAILED)[:FAILED_SHOWN]
    )
    context["page"] = Paginator(run_statements_for_staff(user=request.user, run=run), STATEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "claims/residuals/staff/run_detail.html", context)


@require_POST
@staff_required
def run_retry(request, pk):
    run = get_object_or_404(StatementRun, pk=pk)
    queued = run_retry_failed(run)
    if queued:
        messages.success(request, f"Trying {queued} failed statement{'s' if queued != 1 else ''} again.")
    else:
        messages.info(request, "No failed statements to try again.")
    return redirect("claims:run_detail", pk=run.pk)


@require_POST
@staff_required
def statement_reissue(request, pk):
    statement = get_object_or_404(
        statements_visible_to_staff(user=request.user).exclude(status=StatementStatus.SUPERSEDED).select_related("run"),
        pk=pk,
    )
    new = reissue(statement=statement, by=request.user)
    messages.success(
        request,
        f"Statement {statement.number} is being reissued as {new.number}; the member is emailed when it is ready.",
    )
    return redirect("claims:run_detail", pk=statement.run_id)


@staff_required
def staff_statement_download(request, pk):
    """Any version, superseded ones included, of a member in the unions this verifier covers."""
    statement = get_object_or_404(
        statements_visible_to_staff(user=request.user).filter(
            status__in=[StatementStatus.DONE, StatementStatus.SUPERSEDED]
        ),
        pk=pk,
    )
    return _pdf_response(statement)
