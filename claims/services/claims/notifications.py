"""Emails to members about their claims. Sent by a worker after the change is committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from claims.enums import ClaimStatus
from claims.models import Claim

SUBJECTS: dict[str, str] = {
    ClaimStatus.VERIFIED: "Your claim {number} is verified",
    ClaimStatus.REJECTED: "Your claim {number} was not accepted",
    ClaimStatus.NEEDS_INFO: "Your union needs more information for claim {number}",
    ClaimStatus.DISPUTED: "Your claim {number} conflicts with another member's claim",
}


def claim_notify(*, claim_id: int, status: str) -> bool:
    """Email the member, unless the claim has moved on since (a later email will say where it is)."""
    claim = (
        Claim.objects.select_related("member__user", "credit__work", "training_set")
        .filter(pk=claim_id, status=status)
        .first()
    )
    if claim is None or status not in SUBJECTS:
        return False
    event = claim.events.filter(to_status=status).order_by("-created_at", "-pk").first()
    body = render_to_string(
        "emails/claim_status.txt",
        {
            "claim": claim,
            "event": event,
            "status": status,
            "claim_url": settings.PORTAL_BASE_URL + reverse("claims:claim_detail", args=[claim.pk]),
        },
    )
    send_mail(SUBJECTS[status].format(number=claim.number), body, None, [claim.member.user.email])
    return True
