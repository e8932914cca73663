"""Verification pages for union staff: the queue, one claim's review, actions, bulk verify,
the dashboard, the CSV export and evidence downloads. Every page goes through
`staff_required` (403 for members) and sees only the claims `claims_visible_to_staff` allows."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from claims.forms.verification import BulkVerifyForm, ClaimActionForm, QueueFilterForm
from claims.models import Claim, Evidence
from claims.selectors.claims.export import claim_export_rows
from claims.selectors.claims.verification import (
    bulk_verify_candidates,
    claim_review,
    staff_claims,
    staff_evidence,
    verification_dashboard,
    verification_queue,
)
from claims.services.claims.transitions import Actor, ClaimActionRefused, ClaimChanged
from claims.services.claims.verification import ACTION_LABELS, DONE, claim_act, claims_bulk_verify
from members.permissions import staff_required
from portal.web import csv_download, private_file_response

PAGE_SIZE = 25


def _actor(request) -> Actor:
    return Actor(user=request.user, ip_address=request.META.get("REMOTE_ADDR"))


@staff_required
def queue(request):
    form = QueueFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    claims = verification_queue(user=request.user, filters=filters)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "claims/claims/staff/verify_queue.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": params.urlencode(),
        },
    )


@staff_required
def review(request, pk):
    try:
        data = claim_review(user=request.user, claim_id=pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim among those you can see.") from None
    return render(
        request,
        "claims/claims/staff/verify_claim.html",
        {
            "review": data,
            "claim": data.claim,
            "action_labels": ACTION_LABELS,
            "form": ClaimActionForm(initial={"seen_status": data.claim.status}),
        },
    )


@staff_required
@require_POST
def act(request, pk):
    claim = staff_claims(user=request.user).filter(pk=pk).select_related("credit").first()
    if claim is None:
        raise Http404("No such claim among those you can see.")
    form = ClaimActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the actions on the page.")
        return redirect("claims:verify_claim", pk=pk)
    data = form.cleaned_data
    try:
        claim_act(
            claim=claim,
            action=data["action"],
            actor=_actor(request),
            seen_status=data["seen_status"],
            reason=data["reason"],
            message=data["message"],
            internal_note=data["internal_note"],
        )
    except ClaimChanged as changed:
        messages.warning(request, changed.message)
    except ClaimActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, DONE[data["action"]].format(number=claim.number))
    return redirect("claims:verify_claim", pk=pk)


@staff_required
def bulk_verify(request):
    if request.method == "POST":
        form = BulkVerifyForm(request.POST, visible=staff_claims(user=request.user))
        if form.is_valid():
            result = claims_bulk_verify(actor=_actor(request), claims=list(form.cleaned_data["claims"]))
            if result.verified:
                messages.success(
                    request, f"{len(result.verified)} claim{'s' if len(result.verified) != 1 else ''} verified."
                )
            for claim, why in result.skipped:
                messages.warning(request, f"{claim.number} was not verified: {why}")
            return redirect("claims:verify_queue")
        messages.error(request, "Nothing was verified: the list has changed. Check the new preview.")
    return render(
        request, "claims/claims/staff/verify_bulk.html", {"claims": bulk_verify_candidates(user=request.user)}
    )


@staff_required
def dashboard(request):
    return render(
        request, "claims/claims/staff/verify_dashboard.html", {"stats": verification_dashboard(user=request.user)}
    )


@staff_required
def export(request):
    form = QueueFilterForm(request.GET or None, user=request.user)
    return csv_download(rows=claim_export_rows(user=request.user, filters=form.filters()), filename="claims.csv")


@staff_required
def evidence_download(request, pk, evidence_pk):
    try:
        evidence = staff_evidence(user=request.user, claim_id=pk, evidence_id=evidence_pk)
    except Evidence.DoesNotExist:
        raise Http404("No such file among the claims you can see.") from None
    # Shown inline (images on the review page), but never run: the type is the one we sniffed at
    # upload, and the sandbox stops a file from acting as a page of this site. The member's own
    # file name is kept for the verifier; private_file_response makes it safe as a header.
    return private_file_response(
        file=evidence.file.open("rb"),
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("download") != "1",
    )
