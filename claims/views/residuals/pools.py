"""Residual pools for union staff: the list, recording a pool, its preview, the CSV of every
line, issuing it, and releasing money held for disputed works once they are settled.

Every union staff member (two-factor on) sees every pool: a pool is what one AI developer paid
for its training sets, not one union's business, and checking its totals needs every line.
Members get 403 here; they see their own money on their statements.
"""

from decimal import Decimal
from fractions import Fraction

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims.forms.pools import PoolForm, PoolIssueForm
from claims.models import ResidualPool
from claims.selectors.residuals.held import held_works
from claims.selectors.residuals.pool_preview import pool_preview
from claims.services.residuals.held_release import ReleaseRefused, held_release
from claims.services.residuals.pools import PoolActionRefused, PoolChanged
from claims.services.residuals.pools import pool_create as create_pool
from claims.services.residuals.pools import pool_issue as issue_pool
from members.permissions import staff_required
from portal.web import csv_download

PAGE_SIZE = 25
# The preview page shows this many lines; the CSV has them all.
LINES_SHOWN = 200
CSV_HEADER = [
    "training set",
    "work",
    "year",
    "claim",
    "member",
    "member email",
    "category",
    "work's share of net pool",
    "claim's share of work",
    "exact amount",
    "amount",
    "currency",
    "status",
    "basis",
]


@staff_required
def pool_list(request):
    pools = ResidualPool.objects.prefetch_related("training_sets").order_by("-period_end", "-created_at")
    page = Paginator(pools, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "claims/residuals/staff/pool_list.html", {"page": page})


@staff_required
def pool_create(request):
    form = PoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pool = create_pool(data=form.details(), created_by=request.user)
        messages.success(request, "Pool recorded as a draft. Check the preview before issuing it.")
        return redirect("claims:pool_detail", pk=pool.pk)
    return render(request, "claims/residuals/staff/pool_form.html", {"form": form})


def _pool(pk) -> ResidualPool:
    return get_object_or_404(ResidualPool.objects.prefetch_related("training_sets"), pk=pk)


@staff_required
def pool_detail(request, pk):
    pool = _pool(pk)
    preview = pool_preview(pool=pool)
    return render(
        request,
        "claims/residuals/staff/pool_detail.html",
        {
            "pool": pool,
            "preview": preview,
            "lines": preview.lines[:LINES_SHOWN],
            "lines_hidden": max(0, len(preview.lines) - LINES_SHOWN),
            "run": pool.runs.first(),
            "held_works": held_works(pool=pool) if preview.is_issued else [],
        },
    )


@staff_required
@require_POST
def pool_release_held(request, pk, set_pk, work_pk):
    """Pay out a settled work's held money; the members' statements are corrected by the workers."""
    pool = _pool(pk)
    try:
        corrected = held_release(pool=pool, training_set_id=set_pk, work_id=work_pk, by=request.user)
    except ReleaseRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            f"Held money released. {len(corrected)} corrected statement"
            f"{'' if len(corrected) == 1 else 's'} are being produced.",
        )
    return redirect("claims:pool_detail", pk=pool.pk)


@staff_required
def pool_lines_csv(request, pk):
    pool = _pool(pk)
    preview = pool_preview(pool=pool)

    def rows():
        yield CSV_HEADER
        for line in preview.lines:
            yield [
                line.training_set_name,
                line.work_title,
                line.work_year,
                line.claim_number,
                line.member_name,
                line.member_email,
                line.category,
                line.work_share,
                line.member_share,
                _exact(line.exact_amount),
                line.amount,
                pool.currency,
                line.status,
                line.basis,
            ]

    state = "issued" if preview.is_issued else "preview"
    return csv_download(rows=rows(), filename=f"pool-{pool.pk}-{state}-lines.csv")


def _exact(value: Fraction) -> str:
    """The exact amount before rounding, to six places; the share columns are exact fractions."""
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001")))


@staff_required
def pool_issue(request, pk):
    """GET: the confirmation page with the figures. POST: issue, then go to the statement run."""
    pool = _pool(pk)
    if request.method == "POST":
        form = PoolIssueForm(request.POST)
        if form.is_valid():
            try:
                pool = issue_pool(
                    pool=pool, issued_by=request.user, expected_fingerprint=form.cleaned_data["fingerprint"]
                )
            except PoolChanged as changed:
                messages.warning(request, changed.message)
                return redirect("claims:pool_issue", pk=pool.pk)
            except PoolActionRefused as refused:
                messages.error(request, refused.message)
                return redirect("claims:pool_detail", pk=pool.pk)
            run = pool.runs.first()
            if run is None:
                messages.warning(request, "The pool is issued, but its statement run has not started.")
                return redirect("claims:pool_detail", pk=pool.pk)
            messages.success(request, "Pool issued. Statements are being produced.")
            return redirect("claims:run_detail", pk=run.pk)
    preview = pool_preview(pool=pool)
    if preview.is_issued:
        return redirect("claims:pool_detail", pk=pool.pk)
    if request.method == "GET":
        form = PoolIssueForm(initial={"fingerprint": preview.fingerprint})
    return render(request, "claims/residuals/staff/pool_issue.html", {"pool": pool, "preview": preview, "form": form})
