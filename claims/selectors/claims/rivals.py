"""Other members' claims on the same work: who else claims it, and how much of it is left to claim."""

from decimal import Decimal

from claims.enums import ACTIVE_CLAIM_STATES
from claims.models import Claim

HUNDRED = Decimal("100")


def others_on_work(claim: Claim) -> list[Claim]:
    """Other members' live claims of the same kind on the same work and set (shown before submitting)."""
    return list(
        Claim.objects.filter(
            training_set=claim.training_set,
            credit__work=claim.credit.work,
            credit__category=claim.credit.category,
            status__in=ACTIVE_CLAIM_STATES,
        )
        .exclude(pk=claim.pk)
        .select_related("member", "credit")
        .prefetch_related("member__professional_names")
    )


def share_remaining(claim: Claim) -> Decimal:
    """How much of 100% the other declared shares of this kind leave."""
    taken = sum((other.declared_share or Decimal(0) for other in others_on_work(claim)), Decimal(0))
    return max(Decimal(0), HUNDRED - taken)
