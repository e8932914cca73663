"""A member's answer to a match: "Claim this" (which opens the draft claim) or "Not mine"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from claims.enums import MatchStatus
from claims.models import Match
from claims.services.claims.filing import claim_from_match
from claims.services.claims.transitions import ClaimActionRefused
from claims.services.discovery.decisions import match_decide
from members.permissions import member_required


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("claims:dashboard")


@require_POST
@member_required
def match_confirm(request, pk, *, member):
    """ "Claim this": the member's draft claim for the match (the same one however often it is
    clicked), then its page. With htmx the row is swapped and HX-Redirect takes the browser on."""
    match = get_object_or_404(
        Match.objects.select_related("credit__work", "training_set", "entry"), pk=pk, credit__member=member
    )
    try:
        claim = claim_from_match(member=member, match=match)
    except ClaimActionRefused as refusal:
        if request.htmx:
            return render(request, "claims/discovery/_match_row.html", {"match": match, "refusal": refusal.message})
        messages.error(request, refusal.message)
        return _back(request)
    claim_url = reverse("claims:claim_detail", args=[claim.pk])
    messages.success(
        request, f"You claimed {match.credit.work} in {match.training_set}. Check your claim below and submit it."
    )
    if request.htmx:
        response = render(request, "claims/discovery/_match_row.html", {"match": match})
        response["HX-Redirect"] = claim_url
        return response
    return redirect(claim_url)


@require_POST
@member_required
def match_dismiss(request, pk, *, member):
    match = get_object_or_404(
        Match.objects.select_related("credit__work", "training_set"), pk=pk, credit__member=member
    )
    match_decide(match=match, decision=MatchStatus.DISMISSED)
    if request.htmx:
        return render(request, "claims/discovery/_match_row.html", {"match": match})
    messages.info(request, "Noted: that entry is not your work. We won't show it again.")
    return _back(request)
