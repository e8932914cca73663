"""Held money: what an issued pool kept back for works with a disputed claim, and paying it out
once the dispute is settled.

When a pool is issued, a work with a disputed claim has its whole share held: every claim on it
gets a HELD line. Once every one of those claims is settled (verified, rejected or withdrawn),
staff release the work: the held amount is shared among the claims that were verified, by the
pool's own rule (category weights, then declared shares: `allocation._work_split`), rounded by
the largest-remainder method within the held amount, so the pool still sums to the cent. The
other claims' lines become 0.00 with the reason. Every member concerned gets a corrected
statement (a new version), and each claim's timeline records the release.

Chosen: released money is paid with the correction whatever the payment threshold (the
threshold was applied when the pool was issued; holding money back twice would surprise the
member). Claims filed on the work after the pool was issued take no part: the pool shares what
was claimed when it was issued.
"""

from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from claims.allocation import (
    Claimant,
    WorkClaims,
    cents_to_decimal,
    decimal_to_cents,
    largest_remainder,
    weights_from,
    work_split,
)
from claims.enums import AllocationStatus, ClaimStatus, PoolStatus
from claims.models import AllocationLine, ClaimEvent, ResidualPool, Statement
from claims.selectors.residuals.held import SETTLED
from claims.selectors.residuals.runs import current_statements
from claims.services.residuals.statements import statement_reissue
from members.models import User
from portal.errors import Refused


class ReleaseRefused(Refused):
    """The held money of this work cannot be released (yet); the message says why."""


def held_release(*, pool: ResidualPool, training_set_id: int, work_id: int, by: User | None) -> list[Statement]:
    """Pay out a settled work's held money in `pool` and reissue the statements it changes.

    Returns the new statement versions (rendered by the workers after commit). Raises
    ReleaseRefused if the pool is not issued, nothing is held for the work (say, it was released
    already: a double click changes nothing), a claim on it is still open, or none was verified.
    """
    with transaction.atomic():
        locked_pool = ResidualPool.objects.select_for_update().get(pk=pool.pk)
        if locked_pool.status != PoolStatus.ISSUED:
            raise ReleaseRefused("Only an issued pool holds money.")
        lines = list(
            AllocationLine.objects.select_for_update(of=("self",))
            .filter(pool=pool, training_set_id=training_set_id, work_id=work_id, status=AllocationStatus.HELD)
            .select_related("claim")
            .order_by("pk")
        )
        if not lines:
            raise ReleaseRefused("Nothing is held for this work in this pool: it may have been released already.")
        open_claims = [line.claim for line in lines if line.claim.status not in SETTLED]
        if open_claims:
            numbers = ", ".join(claim.number for claim in open_claims)
            raise ReleaseRefused(
                f"The dispute is not settled: claim {numbers} is still open. Verify or reject "
                "every claim on the work first."
            )
        verified = [line for line in lines if line.claim.status == ClaimStatus.VERIFIED]
        if not verified:
            raise ReleaseRefused("No claim on this work was verified, so there is nobody to pay: the money stays held.")

        held_cents = sum(decimal_to_cents(line.amount) for line in lines)
        split = work_split(
            WorkClaims(
                work_id=work_id,
                training_set_id=training_set_id,
                claimants=tuple(
                    Claimant(
                        claim_id=line.claim_id,
                        member_id=line.member_id,
                        category=line.category,
                        declared_share=line.claim.declared_share,
                    )
                    for line in verified
                ),
            ),
            weights_from(locked_pool.category_weights),
        )
        verified.sort(key=lambda line: (line.member_id, line.claim_id))
        cents = largest_remainder(
            [(held_cents * split[line.claim_id][0], (line.member_id, line.claim_id)) for line in verified], held_cents
        )
        today = f"{timezone.localdate():%-d %B %Y}"
        paid = dict(zip((line.pk for line in verified), cents, strict=True))
        for line in lines:
            if line.pk in paid:
                share, words = split[line.claim_id]
                line.amount = cents_to_decimal(paid[line.pk])
                line.member_share = str(share)
                line.basis = f"held while disputed, released {today}; {words}"[:300]
                message = (
                    f"The money held for this work in the pool paid by {locked_pool.payer} was released: "
                    f"{line.amount} {locked_pool.currency} to this claim, on a corrected statement."
                )
            else:
                line.amount = Decimal("0.00")
                line.member_share = str(Fraction(0))
                line.basis = f"held while disputed; claim {line.claim.get_status_display().lower()}, so no share"
                message = (
                    f"The money held for this work in the pool paid by {locked_pool.payer} was released "
                    "to the verified claims; this claim was not verified, so it has no share."
                )
            line.status = AllocationStatus.PAYABLE
            ClaimEvent.objects.create(
                claim=line.claim,
                actor=by,
                actor_is_staff=True,
                from_status=line.claim.status,
                to_status=line.claim.status,
                message=message,
            )
        AllocationLine.objects.bulk_update(lines, ["amount", "member_share", "basis", "status"])

        # Each member's current statement in the pool's run becomes a correction; the run goes
        # back to producing until they are ready.
        run = locked_pool.runs.first()
        current = (
            []
            if run is None
            else list(
                current_statements(run).filter(member_id__in={line.member_id for line in lines}).order_by("member_id")
            )
        )
        return [statement_reissue(statement=statement, by=by) for statement in current]
