"""Claims: the one place a claim changes state.

`claim_transition` checks the move against ALLOWED_TRANSITIONS and who is
acting, updates the row only if it is still in the state the actor saw (so two
verifiers, two tabs or a double click produce one decision), writes the
append-only ClaimEvent and queues the member's email after commit.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from claims.enums import ClaimStatus as S
from claims.models import Claim, ClaimEvent
from claims.rules import ALLOWED_TRANSITIONS, MEMBER, STAFF, may_decide
from members.models import User
from portal.celery import task
from portal.errors import Refused

DECISIONS = {S.VERIFIED, S.REJECTED}
# The member is emailed about these.
NOTIFY_MEMBER = {S.VERIFIED, S.REJECTED, S.NEEDS_INFO, S.DISPUTED}


class ClaimActionRefused(Refused):
    """The move is not allowed, or not by this person; the message says why in plain words."""


class ClaimChanged(ClaimActionRefused):
    """Someone else changed the claim first."""


@dataclass(frozen=True)
class Actor:
    user: User
    ip_address: str | None = None


def _role(actor: Actor | None, claim: Claim, needed: str, to: str) -> None:
    if actor is None:
        if needed == STAFF and to == S.DISPUTED:
            return
        raise ClaimActionRefused("Only a person can make this change.")
    user = actor.user
    if needed == MEMBER:
        if claim.member.user_id != user.pk:
            raise ClaimActionRefused("Only the member who made this claim can do that.")
        return
    if not may_decide(user, claim):
        raise ClaimActionRefused(
            "You cannot act on this claim: it is outside your unions, or it is your own claim or on a work you claim."
        )


@transaction.atomic
def claim_transition(
    *, claim: Claim, to: str, actor: Actor | None, message: str = "", reason: str = "", internal_note: str = ""
) -> Claim:
    old = claim.status
    needed = ALLOWED_TRANSITIONS.get((old, to))
    if needed is None:
        raise ClaimActionRefused(f"A claim that is “{S(old).label}” cannot become “{S(to).label}”.")
    _role(actor, claim, needed, to)
    if to == S.REJECTED and not reason:
        raise ClaimActionRefused("Choose a reason for the rejection.")
    if to == S.NEEDS_INFO and not message.strip():
        raise ClaimActionRefused("Write what information the member should send.")
    now = timezone.now()
    fields = {"status": to, "updated_at": now}
    if to == S.SUBMITTED and claim.submitted_at is None:
        fields["submitted_at"] = now
    if to in DECISIONS:
        fields["decided_at"] = now
    if to == S.REJECTED:
        fields["reject_reason"] = reason
    if to == S.IN_REVIEW and needed == STAFF:
        assert actor is not None  # _role lets the portal itself make only moves into DISPUTED
        fields["assigned_to"] = actor.user
    # The conditional update is what makes concurrent actions safe: it hits the row only
    # if nobody moved the claim since this actor looked at it.
    if Claim.objects.filter(pk=claim.pk, status=old).update(**fields) != 1:
        current = Claim.objects.get(pk=claim.pk)
        raise ClaimChanged(f"Someone else acted on this claim first: it is now “{current.get_status_display()}”.")
    for name, value in fields.items():
        setattr(claim, name, value)
    ClaimEvent.objects.create(
        claim=claim,
        actor=actor.user if actor else None,
        actor_is_staff=needed == STAFF,
        from_status=old,
        to_status=to,
        reason=reason,
        message=message.strip(),
        internal_note=internal_note.strip(),
        ip_address=actor.ip_address if actor and needed == STAFF else None,
    )
    if to in NOTIFY_MEMBER:
        task("claims.claim_notify").delay_on_commit(claim_id=claim.pk, status=to)
    return claim
