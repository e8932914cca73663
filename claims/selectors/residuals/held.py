"""Money an issued pool holds: the works with a disputed claim, and the claims that decide where it goes.

`claims.services.residuals.held_release` pays a work's held money out once every claim on it is
settled (`SETTLED`).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from claims.enums import AllocationStatus, ClaimStatus
from claims.models import AllocationLine, ResidualPool
from claims.selectors.residuals.pool_preview import member_name

SETTLED = {ClaimStatus.VERIFIED, ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN}


@dataclass(frozen=True)
class HeldClaim:
    claim_id: int
    claim_number: str
    member_name: str
    status: str
    status_label: str
    amount: Decimal


@dataclass(frozen=True)
class HeldWork:
    """A work whose share of an issued pool is held, with the claims that decide where it goes."""

    work_id: int
    training_set_id: int
    work_title: str
    training_set_name: str
    amount: Decimal
    claims: tuple[HeldClaim, ...]

    @property
    def settled(self) -> bool:
        return all(claim.status in SETTLED for claim in self.claims)

    @property
    def verified(self) -> int:
        return sum(claim.status == ClaimStatus.VERIFIED for claim in self.claims)


def held_works(*, pool: ResidualPool) -> list[HeldWork]:
    """The works of this pool whose money is still held, with their claims as they are now."""
    lines = (
        AllocationLine.objects.filter(pool=pool, status=AllocationStatus.HELD)
        .select_related("claim", "member__user", "work", "training_set")
        .order_by("training_set__name", "work__title", "pk")
    )
    grouped: dict[tuple[int, int], list[AllocationLine]] = defaultdict(list)
    for line in lines:
        grouped[(line.training_set_id, line.work_id)].append(line)
    return [
        HeldWork(
            work_id=work_id,
            training_set_id=set_id,
            work_title=group[0].work.display_title,
            training_set_name=str(group[0].training_set),
            amount=sum((line.amount for line in group), Decimal("0.00")),
            claims=tuple(
                HeldClaim(
                    claim_id=line.claim_id,
                    claim_number=line.claim.number,
                    member_name=member_name(line.member),
                    status=line.claim.status,
                    status_label=line.claim.get_status_display(),
                    amount=line.amount,
                )
                for line in group
            ),
        )
        for (set_id, work_id), group in grouped.items()
    ]
