"""Residual pools: record one, issue it.

- `pool_create` records what an AI developer paid, with the rule and weights it is shared by.
- `pool_issue` stores the allocation `claims.selectors.residuals.pool_preview` computes (lines and
  carried balances) in one transaction, exactly once (the pool's DRAFT -> ISSUED transition), then
  starts the statement run after commit.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from claims.allocation import RULE, cents_to_decimal
from claims.enums import PoolStatus
from claims.models import AllocationLine, CarriedBalance, ResidualPool, TrainingSet
from claims.selectors.residuals.pool_preview import pool_compute
from claims.services.residuals.statement_runs import statement_run_start
from claims.services.residuals.transitions import pool_transition
from members.enums import CreditCategory
from members.models import User
from portal.errors import Refused

DEFAULT_WEIGHTS = {
    CreditCategory.PERFORMER: Decimal("40"),
    CreditCategory.WRITER: Decimal("40"),
    CreditCategory.CREW: Decimal("20"),
}


class PoolActionRefused(Refused):
    """The pool cannot be recorded or issued as asked; the message says why in plain words."""


class PoolChanged(PoolActionRefused):
    """Claims or balances changed since the preview staff confirmed."""


@dataclass(frozen=True)
class PoolDetails:
    payer: str
    training_sets: list[TrainingSet]
    period_start: date
    period_end: date
    gross_amount: Decimal
    currency: str
    admin_fee_percent: Decimal
    payment_threshold: Decimal
    category_weights: dict[str, Decimal]


CENT = Decimal("0.01")
# What the database columns hold (claims/models/residuals.py), as a person would read the limit.
MAX_GROSS = Decimal("999999999999.99")
MAX_THRESHOLD = Decimal("99999999.99")


def _amount(value: Decimal, *, what: str, low: Decimal, high: Decimal) -> Decimal:
    """`value` to the cent, or a refusal that says what is wrong with it. Amounts are stored to the
    cent, so 5 and 5.00 become the same amount (and the same preview fingerprint)."""
    if not value.is_finite() or value != value.quantize(CENT):
        raise PoolActionRefused(f"The {what} must be an amount in whole cents, like 1250.00.")
    if not low <= value <= high:
        raise PoolActionRefused(f"The {what} must be between {low:,.2f} and {high:,.2f}.")
    return value.quantize(CENT)


def pool_create(*, data: PoolDetails, created_by: User | None) -> ResidualPool:
    """A draft pool. The rule's name and the weights are stored with it, so its statements can
    be recomputed and explained later, whatever the defaults become.

    Amounts are checked here, not only by the form, so any caller gets a refusal it can show
    instead of a database error for an amount the columns cannot hold."""
    gross = _amount(data.gross_amount, what="amount paid", low=CENT, high=MAX_GROSS)
    fee = _amount(data.admin_fee_percent, what="administration fee (%)", low=Decimal(0), high=Decimal(100))
    threshold = _amount(data.payment_threshold, what="payment threshold", low=Decimal(0), high=MAX_THRESHOLD)
    with transaction.atomic():
        pool = ResidualPool.objects.create(
            payer=data.payer.strip(),
            period_start=data.period_start,
            period_end=data.period_end,
            gross_amount=gross,
            currency=data.currency.upper(),
            admin_fee_percent=fee,
            payment_threshold=threshold,
            category_weights={
                category: format(Decimal(weight).normalize(), "f") for category, weight in data.category_weights.items()
            },
            rule=RULE,
            status=PoolStatus.DRAFT,
            created_by=created_by,
        )
        pool.training_sets.set(data.training_sets)
    return pool


def pool_issue(*, pool: ResidualPool, issued_by: User | None, expected_fingerprint: str = "") -> ResidualPool:
    """Issue the pool: store its allocation lines and carried balances, then start its statement run.

    Idempotent: a pool already issued (a double click, two tabs, a retried request) is returned
    as it is, and no second set of lines or run is made (only a run that never started is started).
    With `expected_fingerprint` (what the confirmation page showed), a pool whose claims or balances
    changed since is refused with PoolChanged, so staff issue exactly what they saw.
    """

    def start_run(issued_pool: ResidualPool) -> None:
        statement_run_start(pool=issued_pool, started_by=issued_by)

    with transaction.atomic():
        current = ResidualPool.objects.select_for_update().get(pk=pool.pk)
        if current.status != PoolStatus.DRAFT:
            if not current.runs.exists():
                # Issued, but the run did not start (the process died after commit): start it now.
                # statement_run_start is idempotent, so two such retries still make one run.
                transaction.on_commit(lambda: start_run(current))
            return current
        computed = pool_compute(pool=current)
        if expected_fingerprint and computed.preview.fingerprint != expected_fingerprint:
            raise PoolChanged("Claims or carried balances changed since the preview. Check the new figures.")
        if not computed.decided:
            raise PoolActionRefused(
                "No work in this pool's training sets has a verified claim yet: there is nobody to pay."
            )
        # The transition's conditional update is what makes issuing happen once, also where the row
        # lock is a no-op (SQLite): only the first caller moves the pool out of DRAFT.
        if not pool_transition(pool=current, to=PoolStatus.ISSUED):
            return ResidualPool.objects.get(pk=pool.pk)
        pool.status, pool.issued_at = current.status, current.issued_at
        AllocationLine.objects.bulk_create(
            [
                AllocationLine(
                    pool=pool,
                    member_id=line.member_id,
                    claim_id=line.claim_id,
                    work_id=line.work_id,
                    training_set_id=line.training_set_id,
                    category=line.category,
                    work_share=str(line.work_share),
                    member_share=str(line.member_share),
                    basis=line.basis[:300],
                    amount=cents_to_decimal(line.cents),
                    status=line.status,
                )
                for line in computed.decided
            ]
        )
        CarriedBalance.objects.bulk_create(
            [
                CarriedBalance(member_id=member_id, from_pool=pool, amount=amount)
                for member_id, amount in computed.preview.carried_out.items()
                if amount > 0
            ]
        )
        balance_ids = [balance.pk for balance in computed.balances]
        if CarriedBalance.objects.filter(pk__in=balance_ids, paid_in_pool__isnull=True).update(
            paid_in_pool=pool
        ) != len(balance_ids):
            # Another pool paid one of these balances while this one was being computed.
            raise PoolChanged("A member's carried balance was paid by another pool just now. Check the new figures.")
        transaction.on_commit(lambda: start_run(pool))
    return pool
