"""Reads of a member's own claims: the list, one claim, its timeline as the member sees it.

Every read starts from the member, so another member's claim, file or timeline is
simply not found (the views turn that into a 404).
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from claims.enums import OPEN_CLAIM_STATES, ClaimStatus, RejectReason
from claims.models import Claim, ClaimEvent, Evidence, ManifestEntry, TrainingSet
from claims.selectors.claims.rivals import others_on_work, share_remaining
from members.models import Credit, MemberProfile

UNION_STAFF = "Union staff"

# What each step means, in the member's words.
STEP_LABELS: dict[str, str] = {
    ClaimStatus.DRAFT: "Claim started again as a draft",
    ClaimStatus.SUBMITTED: "Claim submitted",
    ClaimStatus.IN_REVIEW: "Being checked",
    ClaimStatus.NEEDS_INFO: "More information asked for",
    ClaimStatus.VERIFIED: "Claim verified",
    ClaimStatus.REJECTED: "Claim not accepted",
    ClaimStatus.WITHDRAWN: "Claim withdrawn",
    ClaimStatus.DISPUTED: "Another member claims the same role",
}


def member_claims(*, member: MemberProfile) -> QuerySet[Claim]:
    """The member's claims, most recently changed first, with what the list shows."""
    return (
        Claim.objects.filter(member=member)
        .select_related("credit__work", "training_set")
        .order_by("-updated_at", "-pk")
    )


def member_open_claims(*, member: MemberProfile) -> QuerySet[Claim]:
    return member_claims(member=member).filter(status__in=OPEN_CLAIM_STATES)


def member_claim_detail(*, member: MemberProfile) -> QuerySet[Claim]:
    """The member's claims with everything the claim page shows; filter by pk in the view."""
    return (
        member_claims(member=member)
        .select_related("member")
        .prefetch_related(
            Prefetch("entries", queryset=ManifestEntry.objects.order_by("row_number")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk")),
        )
    )


def member_evidence(*, member: MemberProfile, claim_pk: int) -> QuerySet[Evidence]:
    """Files of the member's own claim; anyone else's are not found."""
    return Evidence.objects.filter(claim_id=claim_pk, claim__member=member).select_related("claim")


@dataclass(frozen=True)
class TimelineStep:
    when: datetime
    who: str
    what: str
    status: str
    message: str
    reason: str
    files: list[Evidence] = field(default_factory=list)


def claim_timeline_for_member(*, claim: Claim) -> list[TimelineStep]:
    """Every step of the claim, oldest first. Staff (and the portal acting on its own) appear as
    "Union staff": members never see who at the union acted, nor their address."""
    events = (
        ClaimEvent.objects.filter(claim=claim)
        .order_by("created_at", "pk")
        .select_related("actor")
        .prefetch_related("evidence")
    )
    reasons = dict(RejectReason.choices)
    steps = [
        TimelineStep(
            when=claim.created_at, who="You", what="Claim started", status=ClaimStatus.DRAFT, message="", reason=""
        )
    ]
    for event in events:
        if event.actor_is_staff or event.actor_id is None:
            who = UNION_STAFF
        else:
            who = "You" if event.actor_id == claim.member.user_id else UNION_STAFF
        steps.append(
            TimelineStep(
                when=event.created_at,
                who=who,
                what=STEP_LABELS.get(event.to_status, event.get_to_status_display()),
                status=event.to_status,
                message=event.message,
                reason=reasons.get(event.reason, ""),
                files=list(event.evidence.all()),
            )
        )
    return steps


@dataclass(frozen=True)
class OtherClaimant:
    name: str
    share: Decimal | None
    status: str


def _claimant_name(member: MemberProfile) -> str:
    names = [name.name for name in member.professional_names.all()]
    return names[0] if names else (member.legal_name or "A member")


def other_claimants(*, claim: Claim) -> list[OtherClaimant]:
    """Who else claims this work in the same kind of role, by professional name, with their shares."""
    return [
        OtherClaimant(name=_claimant_name(other.member), share=other.declared_share, status=other.get_status_display())
        for other in others_on_work(claim)
    ]


def claim_share_left(*, claim: Claim) -> Decimal:
    return share_remaining(claim)


def claimable_credits(*, member: MemberProfile) -> QuerySet[Credit]:
    return member.credits.select_related("work").order_by("work__title", "-work__year", "job")


def claimable_training_sets() -> QuerySet[TrainingSet]:
    """Sets with a loaded listing: only those can be searched and claimed."""
    return TrainingSet.objects.filter(current_manifest__isnull=False).order_by("name", "version")
