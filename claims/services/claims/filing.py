"""Filing a claim: start it (from a match or by hand), submit it under the share rules.

Shares: among claims of one kind (performer, writer, crew) on one work in one
training set, declared shares may not add up to more than 100%; an over-claim
is refused at submission, with what remains, never discovered later. A job only
one person can hold on a work (director of photography, say) claimed by two
members puts both claims in "disputed", and everyone concerned is told.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from claims.enums import ACTIVE_CLAIM_STATES, ClaimStatus, EvidenceKind
from claims.models import Claim, ClaimEvent, ManifestEntry, Match, TrainingSet
from claims.rules import SINGLE_HOLDER_JOBS
from claims.selectors.claims.rivals import share_remaining
from claims.services.claims.evidence import MAX_EVIDENCE_FILES, EvidenceRefused, evidence_add, evidence_check
from claims.services.claims.transitions import Actor, ClaimActionRefused, claim_transition
from claims.services.discovery.decisions import match_decide
from members.models import Credit, MemberProfile

HUNDRED = Decimal("100")


@transaction.atomic
def claim_start(
    *, member: MemberProfile, credit: Credit, training_set: TrainingSet, entries: list[ManifestEntry]
) -> Claim:
    """The member's draft claim for this credit and set, created once however often it is asked for."""
    if credit.member_id != member.pk:
        raise ClaimActionRefused("You can only claim your own credits.")
    if any(entry.manifest_id != training_set.current_manifest_id for entry in entries):
        raise ClaimActionRefused("Those entries are not in the current listing of this training set.")
    try:
        with transaction.atomic():
            claim, _ = Claim.objects.get_or_create(member=member, credit=credit, training_set=training_set)
    except IntegrityError:  # two tabs, one claim
        claim = Claim.objects.get(credit=credit, training_set=training_set)
    # What a submitted claim covers is what the verifier is looking at: it changes only in a draft.
    if entries and claim.status == ClaimStatus.DRAFT:
        claim.entries.add(*entries)
        scored = Match.objects.filter(credit=credit, entry__in=entries).order_by("-score").first()
        if scored and (claim.best_score or 0) < scored.score:
            Claim.objects.filter(pk=claim.pk).update(best_score=scored.score, best_method=scored.method)
            claim.best_score, claim.best_method = scored.score, scored.method
    return claim


@transaction.atomic
def claim_from_match(*, member: MemberProfile, match: Match) -> Claim:
    """ "Claim this" on a match: a draft claim with the matched entry, and the match confirmed."""
    if match.credit.member_id != member.pk:
        raise ClaimActionRefused("You can only claim your own matches.")
    claim = claim_start(member=member, credit=match.credit, training_set=match.training_set, entries=[match.entry])
    match_decide(match=match, decision="confirmed")
    return claim


def _over_claim_message(claim: Claim, taken: Decimal) -> str:
    remaining = max(Decimal(0), HUNDRED - taken)
    return (
        f"Other members have already claimed {taken.normalize():f}% of this work as "
        f"{claim.credit.get_category_display().lower()}s; at most {remaining.normalize():f}% remains."
    )


def _refuse_unless_own_draft(claim: Claim, actor: Actor, doing: str) -> None:
    if claim.member.user_id != actor.user.pk:
        raise ClaimActionRefused(f"Only the member who made this claim can {doing} it.")
    if claim.status in ACTIVE_CLAIM_STATES:
        raise ClaimActionRefused(
            f"Claim {claim.number} has already been submitted. You do not need to submit it again: "
            "its page shows where it is."
        )
    if claim.status != ClaimStatus.DRAFT:
        raise ClaimActionRefused(
            f"Claim {claim.number} is “{claim.get_status_display()}”. Choose “Start again” to make it a draft first."
        )


@transaction.atomic
def claim_draft_save(*, claim: Claim, actor: Actor, declared_share: Decimal | None, statement: str = "") -> Claim:
    """Keep the member's share and statement on a draft. An over-claim is refused here
    already, so the member learns what remains before they try to submit."""
    # Locked so a save racing a submit in another tab cannot change a claim just submitted.
    claim.status = Claim.objects.select_for_update().values_list("status", flat=True).get(pk=claim.pk)
    _refuse_unless_own_draft(claim, actor, "change")
    if declared_share is not None:
        taken = HUNDRED - share_remaining(claim)
        if taken + declared_share > HUNDRED:
            raise ClaimActionRefused(_over_claim_message(claim, taken))
    Claim.objects.filter(pk=claim.pk, status=ClaimStatus.DRAFT).update(
        declared_share=declared_share, statement=statement.strip()
    )
    claim.declared_share, claim.statement = declared_share, statement.strip()
    return claim


@transaction.atomic
def claim_submit(*, claim: Claim, actor: Actor, declared_share: Decimal | None, statement: str = "") -> Claim:
    """Submit a draft (or resubmit a restarted one) with its declared share.

    The other claims on the work are locked while the shares are added up, so two
    co-writers submitting at the same moment cannot both take the last 60%.
    """
    # Locking the claim itself makes a double click or a second tab wait, then see "already submitted".
    claim.status = Claim.objects.select_for_update().values_list("status", flat=True).get(pk=claim.pk)
    _refuse_unless_own_draft(claim, actor, "submit")
    if not claim.entries.exists():
        raise ClaimActionRefused("Choose the training-set entry that is your work before submitting.")
    rivals = list(
        Claim.objects.select_for_update()
        .filter(Q(training_set=claim.training_set, credit__work=claim.credit.work, status__in=ACTIVE_CLAIM_STATES))
        .exclude(pk=claim.pk)
        .select_related("credit")
    )
    same_kind = [other for other in rivals if other.credit.category == claim.credit.category]
    taken = sum((other.declared_share or Decimal(0) for other in same_kind), Decimal(0))
    if declared_share is not None and taken + declared_share > HUNDRED:
        raise ClaimActionRefused(_over_claim_message(claim, taken))
    Claim.objects.filter(pk=claim.pk).update(declared_share=declared_share, statement=statement.strip())
    claim.declared_share, claim.statement = declared_share, statement.strip()
    claim = claim_transition(claim=claim, to=ClaimStatus.SUBMITTED, actor=actor)
    conflicting = [
        other for other in rivals if other.credit.job == claim.credit.job and claim.credit.job in SINGLE_HOLDER_JOBS
    ]
    if conflicting:
        note = (
            f"Two members claim to be the {claim.credit.get_job_display().lower()} of "
            f"{claim.credit.work}; union staff will look at the evidence and decide."
        )
        for disputed in [claim, *conflicting]:
            if disputed.status != ClaimStatus.DISPUTED:
                claim_transition(claim=disputed, to=ClaimStatus.DISPUTED, actor=None, message=note)
    return claim


@transaction.atomic
def claim_answer(
    *,
    claim: Claim,
    actor: Actor,
    message: str,
    uploads: Sequence["UploadedFile[bytes]"] = (),
    kind: str = EvidenceKind.OTHER,
) -> ClaimEvent:
    """The member's answer to a request for information: the claim goes back to the verifier,
    with the answer and its files on one timeline step. All or nothing: a refused file
    leaves the request open."""
    if not message.strip():
        raise ClaimActionRefused("Write your answer to the union's question.")
    # Checked before anything changes, so a refused file leaves nothing stored.
    if uploads and claim.evidence.count() + len(uploads) > MAX_EVIDENCE_FILES:
        raise EvidenceRefused(
            f"A claim can have at most {MAX_EVIDENCE_FILES} files. Send fewer, or combine pages into one PDF."
        )
    for upload in uploads:
        evidence_check(upload)
    claim = claim_transition(claim=claim, to=ClaimStatus.IN_REVIEW, actor=actor, message=message)
    event = claim.events.order_by("-pk").first()
    assert event is not None  # claim_transition has just written one
    for upload in uploads:
        evidence_add(claim=claim, upload=upload, kind=kind, uploaded_by=actor.user, event=event)
    return event
