"""What a verifier does to claims: one action on one claim, or bulk verify after a preview.

Every change goes through `claim_transition`, so the table of allowed moves, the conflict of
interest rule, the conditional update and the append-only event apply here as everywhere.
"""

from dataclasses import dataclass, field

from django.db import transaction

from claims.enums import ClaimStatus, RejectReason
from claims.models import Claim
from claims.selectors.claims.verification import ACTIONS, bulk_verify_candidates
from claims.services.claims.transitions import Actor, ClaimActionRefused, ClaimChanged, claim_transition

ACTION_LABELS = {
    "take": "Take this claim",
    "verify": "Verify",
    "reject": "Reject",
    "needs_info": "Ask the member for information",
    "dispute": "Mark disputed",
    "reopen": "Reopen",
}
DONE = {
    "take": "You took {number}: it is in review and assigned to you.",
    "verify": "{number} is verified.",
    "reject": "{number} is rejected.",
    "needs_info": "{number}: the member is asked for information.",
    "dispute": "{number} is marked disputed.",
    "reopen": "{number} is reopened and assigned to you.",
}


def claim_act(
    *,
    claim: Claim,
    action: str,
    actor: Actor,
    seen_status: str = "",
    reason: str = "",
    message: str = "",
    internal_note: str = "",
) -> Claim:
    """Do one verifier action on a claim.

    `seen_status` is the state the verifier's page showed: if the claim has moved since,
    nothing happens and ClaimChanged says what it is now, so a verifier never decides a
    claim in a state they did not see. Emails the member (after commit) for decisions,
    requests for information and disputes. `message` is for the member; `internal_note` stays
    with union staff.
    """
    if action not in ACTIONS:
        raise ClaimActionRefused("Choose what to do with the claim.")
    if seen_status and seen_status != claim.status:
        raise ClaimChanged(f"Someone else acted on this claim first: it is now “{claim.get_status_display()}”.")
    sources, to = ACTIONS[action]
    if claim.status not in sources:
        raise ClaimActionRefused(
            f"A claim that is “{claim.get_status_display()}” cannot be given the action “{ACTION_LABELS[action]}”."
            + (" Take it first." if claim.status == ClaimStatus.SUBMITTED else "")
        )
    if action == "reject":
        if reason not in RejectReason.values:
            raise ClaimActionRefused("Choose a reason for the rejection.")
        if reason == RejectReason.OTHER and not message.strip():
            raise ClaimActionRefused("Explain the reason for the rejection.")
    else:
        reason = ""
    return claim_transition(
        claim=claim, to=to, actor=actor, reason=reason, message=message, internal_note=internal_note
    )


@dataclass
class BulkVerifyResult:
    verified: list[Claim] = field(default_factory=list)
    skipped: list[tuple[Claim, str]] = field(default_factory=list)


def claims_bulk_verify(*, actor: Actor, claims: list[Claim]) -> BulkVerifyResult:
    """Verify the claims the verifier saw in the preview, if they still qualify.

    Only claims that are in the preview now (identifier match or score 100, submitted or in
    review, visible, no conflict of interest) are verified; the others are reported as skipped.
    A submitted claim is taken and verified in one transaction, so it never stays half-done.
    """
    result = BulkVerifyResult()
    eligible = {claim.pk: claim for claim in bulk_verify_candidates(user=actor.user)}
    for shown in {claim.pk: claim for claim in claims}.values():
        claim = eligible.get(shown.pk)
        if claim is None:
            result.skipped.append((shown, "it does not qualify for bulk verify now (someone may have acted on it)."))
            continue
        try:
            with transaction.atomic():
                if claim.status == ClaimStatus.SUBMITTED:
                    claim_transition(claim=claim, to=ClaimStatus.IN_REVIEW, actor=actor)
                claim_transition(
                    claim=claim,
                    to=ClaimStatus.VERIFIED,
                    actor=actor,
                    message="Verified in bulk: matched by identifier or with a score of 100.",
                )
        except ClaimActionRefused as refused:
            claim.refresh_from_db(fields=["status"])
            result.skipped.append((claim, refused.message))
        else:
            result.verified.append(claim)
    return result
