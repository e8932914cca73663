"""A member's answer to a match: "Claim this" or "Not mine"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from members.permissions import member_required

from ..enums import MatchStatus
from ..models import Match
from ..services.decisions import match_decide


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("members:dashboard")


@require_POST
@member_required
def match_confirm(request, pk, *, member):
    match = get_object_or_404(Match.objects.select_related("credit__work", "training_set"), pk=pk, credit__member=member)
    match_decide(match=match, decision=MatchStatus.CONFIRMED)
    if request.htmx:
        return render(request, "claims/_match_row.html", {"match": match})
    messages.success(request, f"Thank you: you confirmed that {match.credit.work} is in {match.training_set}.")
    return _back(request)


@require_POST
@member_required
def match_dismiss(request, pk, *, member):
    match = get_object_or_404(Match.objects.select_related("credit__work", "training_set"), pk=pk, credit__member=member)
    match_decide(match=match, decision=MatchStatus.DISMISSED)
    if request.htmx:
        return render(request, "claims/_match_row.html", {"match": match})
    messages.info(request, "Noted: that entry is not your work. We won't show it again.")
    return _back(request)
