from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..permissions import member_required
from ..selectors import member_credits, member_memberships


def home(request):
    """The public front page; signed-in people go straight to their dashboard."""
    if request.user.is_authenticated:
        return redirect("members:dashboard")
    return render(request, "members/home.html")


@member_required
def dashboard(request, *, member):
    from claims.selectors import current_matches_for_member
    from claims.selectors.member_claims import member_open_claims
    from claims.selectors.statements import member_statements

    credits = member_credits(member=member)
    open_claims = member_open_claims(member=member)
    return render(
        request,
        "members/dashboard.html",
        {
            "matches": current_matches_for_member(member=member),
            "open_claims": open_claims[:10],
            "statements": member_statements(member=member)[:5],
            "open_claim_count": open_claims.count(),
            "member": member,
            "memberships": member_memberships(member=member),
            "credits": credits[:10],
            "credit_count": credits.count(),
            "professional_names": list(member.professional_names.all()),
        },
    )


@login_required
def account_security(request):
    return render(
        request,
        "members/account_security.html",
        {
            "mfa_enabled": is_mfa_enabled(request.user),
            "authenticators": Authenticator.objects.filter(user=request.user).order_by("type"),
        },
    )
