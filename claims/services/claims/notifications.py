"""Emails to members about their claims. Sent by a worker after the change is committed."""

from django.conf import settings
from django.urls import reverse

from claims.enums import ClaimStatus
from claims.models import Claim, ClaimEvent
from portal.emails import email_send_once

SUBJECTS: dict[str, str] = {
    ClaimStatus.VERIFIED: "Your claim {number} is verified",
    ClaimStatus.REJECTED: "Your claim {number} was not accepted",
    ClaimStatus.NEEDS_INFO: "Your union needs more information for claim {number}",
    ClaimStatus.DISPUTED: "Your claim {number} conflicts with another member's claim",
}


def claim_notify(*, claim_id: int, status: str) -> bool:
    """Email the member about the step that put the claim in `status`; True if this call sent it.

    Not if the claim has moved on since (a later email will say where it is), and at most once per
    step: the step's ClaimEvent.emailed_at is claimed before sending (portal.emails), so a task
    delivered twice sends one email, and a failed send is given back for the next delivery.
    """
    claim = (
        Claim.objects.select_related("member__user", "credit__work", "training_set")
        .filter(pk=claim_id, status=status)
        .first()
    )
    if claim is None or status not in SUBJECTS:
        return False
    event = claim.events.filter(to_status=status).order_by("-created_at", "-pk").first()
    if event is None:
        return False  # no step to tell the member about, nor to mark as told
    return email_send_once(
        mark=ClaimEvent.objects.filter(pk=event.pk),
        field="emailed_at",
        to=claim.member.user.email,
        subject=SUBJECTS[status].format(number=claim.number),
        template="emails/claim_status.txt",
        context={
            "claim": claim,
            "event": event,
            "status": status,
            "claim_url": settings.PORTAL_BASE_URL + reverse("claims:claim_detail", args=[claim.pk]),
        },
    )
