"""Reading a statement from the database: its data, once, and the public fingerprint check.

`statement_data_for` reads the rows a statement is made of into a `claims.statement_data.StatementData`
(plain values); everything printed, exported or fingerprinted is made from that, without the database.
"""

import hmac
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from claims.enums import AllocationStatus, StatementStatus
from claims.models import AllocationLine, CarriedBalance, ResidualPool, Statement
from claims.statement_data import ZERO, StatementData, StatementLine, money, role_text, rule_text, subtotals


def rule_description(pool: ResidualPool) -> str:
    """The plain-language account of how this pool was shared (one query, for its training sets)."""
    return rule_text(
        rule=pool.rule,
        payer=pool.payer,
        currency=pool.currency,
        gross_amount=pool.gross_amount,
        training_sets=[str(training_set) for training_set in pool.training_sets.all()],
        period_start=pool.period_start,
        period_end=pool.period_end,
        admin_fee_percent=pool.admin_fee_percent,
        category_weights=pool.category_weights,
    )


def _issue_date(statement: Statement) -> date:
    return timezone.localdate(statement.created_at) if statement.created_at else timezone.localdate()


def statement_data_for(statement: Statement) -> StatementData:
    """Read a statement's lines and balances (about 6 queries, whatever the number of lines)."""
    pool = statement.run.pool
    member = statement.member
    allocation_lines = (
        AllocationLine.objects.filter(pool=pool, member=member)
        .select_related("work", "training_set", "claim__credit")
        .order_by("training_set__name", "training_set__version", "work__title", "work__year", "pk")
    )
    lines = tuple(
        StatementLine(
            work_title=line.work.display_title,
            work_year=line.work.year,
            training_set=str(line.training_set),
            category=role_text(category=line.category, job=line.claim.credit.job),
            basis=line.basis,
            amount=money(line.amount),
            status=line.status,
            work_share=line.work_share,
            member_share=line.member_share,
        )
        for line in allocation_lines
    )
    earned = sum((line.amount for line in lines), ZERO)
    held = sum((line.amount for line in lines if line.status == AllocationStatus.HELD), ZERO)
    carried_lines = sum((line.amount for line in lines if line.status == AllocationStatus.CARRIED), ZERO)
    balances = CarriedBalance.objects.filter(member=member)
    carried_out = balances.filter(from_pool=pool).aggregate(total=Sum("amount"))["total"]
    # The allocation may roll an earlier balance into this pool's carry; the balance row, when
    # there is one, is the amount that really waits for the next statement.
    carried = money(carried_out) if carried_out is not None else carried_lines
    brought = money(balances.filter(paid_in_pool=pool).aggregate(total=Sum("amount"))["total"])
    total = earned - held - carried + brought

    issue_date = _issue_date(statement)
    earlier_this_year = (
        (
            # In this statement's currency only: euros and dollars never add up to one figure.
            Statement.objects.filter(
                member=member,
                status=StatementStatus.DONE,
                created_at__year=issue_date.year,
                run__pool__currency=pool.currency,
            )
            .exclude(run=statement.run)
            .filter(Q(created_at__lt=statement.created_at) | Q(created_at=statement.created_at, pk__lt=statement.pk))
            .aggregate(total=Sum("total_payable"))["total"]
        )
        if statement.created_at
        else None
    )

    memberships = list(member.memberships.select_related("union").order_by("union__short_name"))
    return StatementData(
        union_names=tuple(dict.fromkeys(membership.union.name for membership in memberships)),
        member_legal_name=member.legal_name or member.display_name,
        professional_names=tuple(name.name for name in member.professional_names.all()),
        member_numbers=tuple(f"{m.union.short_name} {m.member_number}" for m in memberships if m.member_number),
        postal_address_lines=tuple(member.postal_address_lines),
        statement_number=statement.number,
        version=statement.version,
        period_start=pool.period_start,
        period_end=pool.period_end,
        issue_date=issue_date,
        currency=pool.currency,
        payer=pool.payer,
        lines=lines,
        subtotals=subtotals(lines),
        earned_total=earned,
        held_total=held,
        carried_forward_total=carried,
        brought_forward_total=brought,
        total_payable=total,
        year_to_date_total=money(earlier_this_year) + total,
        rule_description=rule_description(pool),
    )


@dataclass(frozen=True)
class FingerprintCheck:
    """What the public verify page may say: whether it matches, and if so the period and total."""

    valid: bool
    period_start: date | None = None
    period_end: date | None = None
    total_payable: Decimal | None = None
    currency: str = ""


def statement_fingerprint_check(*, number: str, fingerprint: str) -> FingerprintCheck:
    """Compare a fingerprint with the one stored for a finished statement, in constant time.

    An unknown number does the same comparison against a dummy, so timing does not tell
    which statement numbers exist."""
    statement = (
        Statement.objects.filter(number=number.strip(), status__in=[StatementStatus.DONE, StatementStatus.SUPERSEDED])
        .exclude(fingerprint="")
        .select_related("run__pool")
        .first()
    )
    stored = statement.fingerprint if statement else "0" * 64
    matches = hmac.compare_digest(stored.encode(), fingerprint.strip().lower().encode())
    if not (statement and matches):
        return FingerprintCheck(valid=False)
    pool = statement.run.pool
    return FingerprintCheck(
        valid=True,
        period_start=pool.period_start,
        period_end=pool.period_end,
        total_payable=statement.total_payable,
        currency=pool.currency,
    )
