"""The member's dashboard: their details, credits, the matches discovery found, their claims and statements.

It lives in claims/ because it shows all three areas; members/ never imports claims/.
"""

from django.shortcuts import render

from claims.selectors.claims.member_claims import member_open_claims
from claims.selectors.discovery.training_sets import current_matches_for_member
from claims.selectors.residuals.statements import member_statements
from members.permissions import member_required
from members.selectors import member_credits, member_memberships


@member_required
def dashboard(request, *, member):
    credits = member_credits(member=member)
    open_claims = member_open_claims(member=member)
    return render(
        request,
        "claims/dashboard.html",
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
