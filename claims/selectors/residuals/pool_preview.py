"""How a residual pool is (if issued) or would be (if issued now) shared: the preview staff check.

`pool_preview` shares a draft pool by its rule (`claims.allocation`) among the verified claims of its
training sets, holding works with a disputed claim, and applies the payment threshold; it is
computed live from the claims as they are now. An issued pool is read back from its stored lines,
so it shows what was issued. `pool_compute` is the computation itself, which `pool_issue` (a
service) stores.

Money: the union's fee is gross × fee percent rounded half-up to the cent; the net pool is
gross − fee. Everything else is whole cents (int) or exact fractions until stored as
Decimal(…, 2 places); nothing passes through float, and sums of money are made in Python,
never by the database (SQLite adds decimals as floats).
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet

from claims.allocation import (
    CARRIED,
    HELD,
    PAYABLE,
    Claimant,
    Line,
    WorkClaims,
    allocate,
    cents_to_decimal,
    decimal_to_cents,
    fee_cents,
    threshold_apply,
)
from claims.enums import AllocationStatus, ClaimStatus, PoolStatus
from claims.models import CarriedBalance, Claim, ResidualPool
from members.models import MemberProfile


@dataclass(frozen=True)
class PreviewLine:
    claim_id: int
    claim_number: str
    member_id: int
    member_name: str
    member_email: str
    work_id: int
    work_title: str
    work_year: int | None
    training_set_id: int
    training_set_name: str
    category: str
    work_share: Fraction
    member_share: Fraction
    exact_amount: Fraction  # in currency units, before rounding
    amount: Decimal
    status: str
    basis: str

    @property
    def status_label(self) -> str:
        return AllocationStatus(self.status).label


@dataclass(frozen=True)
class MemberPayment:
    member_id: int
    member_name: str
    this_pool: Decimal
    brought_forward: Decimal

    @property
    def total(self) -> Decimal:
        return self.this_pool + self.brought_forward


@dataclass(frozen=True)
class PoolPreview:
    pool: ResidualPool
    is_issued: bool
    gross: Decimal
    fee: Decimal
    net: Decimal
    paid: Decimal  # this pool's money on payable lines
    held: Decimal
    carried: Decimal
    unallocated: Decimal  # the whole net pool when no work has a verified or disputed claim
    brought_forward: Decimal  # earlier carried balances paid with this pool (not part of its net)
    members: int  # members with any line
    works: int
    payments: list[MemberPayment]  # members paid now, largest first
    carried_out: dict[int, Decimal]  # member id -> what they carry forward from this pool
    lines: list[PreviewLine]
    fingerprint: str

    @property
    def largest_payment(self) -> MemberPayment | None:
        return self.payments[0] if self.payments else None

    @property
    def smallest_payment(self) -> MemberPayment | None:
        return self.payments[-1] if self.payments else None

    @property
    def can_issue(self) -> bool:
        return not self.is_issued and bool(self.lines)


def pool_amounts(*, pool: ResidualPool) -> tuple[int, int, int]:
    """(gross, fee, net) in cents."""
    gross = decimal_to_cents(pool.gross_amount)
    fee = fee_cents(gross_cents=gross, fee_percent=pool.admin_fee_percent)
    return gross, fee, gross - fee


def _pool_claims(pool: ResidualPool) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(training_set__residual_pools=pool, status__in=[ClaimStatus.VERIFIED, ClaimStatus.DISPUTED])
        .select_related("credit__work", "member__user", "training_set")
        .order_by("pk")
    )


def member_name(member: MemberProfile) -> str:
    """How staff pages and the CSV name a member: legal name, else email (no extra query)."""
    return member.legal_name or member.user.email


def _earlier_balances(pool: ResidualPool, member_ids: Iterable[int]) -> list[CarriedBalance]:
    return list(
        CarriedBalance.objects.filter(member_id__in=member_ids, paid_in_pool__isnull=True)
        .exclude(from_pool=pool)
        .order_by("pk")
    )


def _fingerprint(pool: ResidualPool, lines: list[PreviewLine], balance_ids: list[int]) -> str:
    """What staff confirmed: the pool's terms, every line's amount and status, the balances paid."""
    # Amounts as text to the cent: Decimal("5") and Decimal("5.00") are the same money, and must
    # give the same fingerprint however the caller's copy of the pool was made.
    parts = [
        pool.pk,
        f"{pool.gross_amount:.2f}",
        f"{pool.admin_fee_percent:.2f}",
        f"{pool.payment_threshold:.2f}",
        sorted(
            (category, format(Decimal(weight).normalize(), "f")) for category, weight in pool.category_weights.items()
        ),
        sorted(pool.training_sets.values_list("pk", flat=True)),
        sorted((line.claim_id, str(line.amount), line.status) for line in lines),
        sorted(balance_ids),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class PoolComputation:
    preview: PoolPreview
    decided: list[Line]
    balances: list[CarriedBalance]  # earlier balances paid with this pool


def pool_compute(*, pool: ResidualPool) -> PoolComputation:
    """The pool shared among its claims as they are now: the preview, and the lines and earlier
    balances `pool_issue` stores. Reads only."""
    gross, fee, net = pool_amounts(pool=pool)
    claims = {claim.pk: claim for claim in _pool_claims(pool)}
    works: dict[tuple[int, int], list[Claimant]] = defaultdict(list)
    for claim in claims.values():
        works[(claim.training_set_id, claim.credit.work_id)].append(
            Claimant(
                claim_id=claim.pk,
                member_id=claim.member_id,
                category=claim.credit.category,
                declared_share=claim.declared_share,
                disputed=claim.status == ClaimStatus.DISPUTED,
            )
        )
    result = allocate(
        net_cents=net,
        category_weights=pool.category_weights,
        works=[
            WorkClaims(work_id=work_id, training_set_id=set_id, claimants=tuple(claimants))
            for (set_id, work_id), claimants in works.items()
        ],
    )
    member_ids = {line.member_id for line in result.lines}
    balances = _earlier_balances(pool, member_ids)
    earlier: dict[int, int] = defaultdict(int)
    for balance in balances:
        earlier[balance.member_id] += decimal_to_cents(balance.amount)
    decision = threshold_apply(
        lines=result.lines, threshold_cents=decimal_to_cents(pool.payment_threshold), earlier_carried=earlier
    )
    paying_balances = [balance for balance in balances if balance.member_id in decision.paid_members]

    preview_lines = [_preview_line(line, claims[line.claim_id], net) for line in decision.lines]
    by_status: dict[str, int] = defaultdict(int)
    this_pool: dict[int, int] = defaultdict(int)
    for line in decision.lines:
        by_status[line.status] += line.cents
        if line.status == PAYABLE:
            this_pool[line.member_id] += line.cents
    names = {claim.member_id: member_name(claim.member) for claim in claims.values()}
    payments = [
        MemberPayment(
            member_id=member_id,
            member_name=names[member_id],
            this_pool=cents_to_decimal(this_pool[member_id]),
            brought_forward=cents_to_decimal(earlier[member_id]),
        )
        for member_id in decision.paid_members
    ]
    preview = PoolPreview(
        pool=pool,
        is_issued=False,
        gross=cents_to_decimal(gross),
        fee=cents_to_decimal(fee),
        net=cents_to_decimal(net),
        paid=cents_to_decimal(by_status[PAYABLE]),
        held=cents_to_decimal(by_status[HELD]),
        carried=cents_to_decimal(by_status[CARRIED]),
        unallocated=cents_to_decimal(result.unallocated_cents),
        brought_forward=cents_to_decimal(sum(earlier[m] for m in decision.paid_members)),
        members=len(member_ids),
        works=result.works,
        payments=_largest_first(payments),
        carried_out={member_id: cents_to_decimal(cents) for member_id, cents in decision.carried_out.items()},
        lines=_in_reading_order(preview_lines),
        fingerprint=_fingerprint(pool, preview_lines, [balance.pk for balance in paying_balances]),
    )
    return PoolComputation(preview=preview, decided=list(decision.lines), balances=paying_balances)


def _preview_line(line: Line, claim: Claim, net_cents: int) -> PreviewLine:
    work = claim.credit.work
    return PreviewLine(
        claim_id=claim.pk,
        claim_number=claim.number,
        member_id=claim.member_id,
        member_name=member_name(claim.member),
        member_email=claim.member.user.email,
        work_id=work.pk,
        work_title=work.display_title,
        work_year=work.year,
        training_set_id=claim.training_set_id,
        training_set_name=str(claim.training_set),
        category=line.category,
        work_share=line.work_share,
        member_share=line.member_share,
        exact_amount=line.exact_cents / 100,
        amount=cents_to_decimal(line.cents),
        status=line.status,
        basis=line.basis,
    )


def _largest_first(payments: list[MemberPayment]) -> list[MemberPayment]:
    return sorted(payments, key=lambda p: (-p.total, p.member_id))


def _in_reading_order(lines: list[PreviewLine]) -> list[PreviewLine]:
    return sorted(lines, key=lambda line: (line.training_set_name, line.work_title, line.member_id, line.claim_id))


def _stored(pool: ResidualPool) -> PoolPreview:
    """An issued pool, exactly as issued."""
    gross, fee, net = pool_amounts(pool=pool)
    rows = pool.lines.select_related("claim", "member__user", "work", "training_set").order_by("pk")
    lines = []
    by_status: dict[str, Decimal] = defaultdict(Decimal)
    this_pool: dict[int, Decimal] = defaultdict(Decimal)
    names = {}
    for row in rows:
        work_share, member_share = Fraction(row.work_share), Fraction(row.member_share)
        names[row.member_id] = member_name(row.member)
        by_status[row.status] += row.amount
        if row.status == PAYABLE:
            this_pool[row.member_id] += row.amount
        lines.append(
            PreviewLine(
                claim_id=row.claim_id,
                claim_number=row.claim.number,
                member_id=row.member_id,
                member_name=names[row.member_id],
                member_email=row.member.user.email,
                work_id=row.work_id,
                work_title=row.work.display_title,
                work_year=row.work.year,
                training_set_id=row.training_set_id,
                training_set_name=str(row.training_set),
                category=row.category,
                work_share=work_share,
                member_share=member_share,
                exact_amount=Fraction(net, 100) * work_share * member_share,
                amount=row.amount,
                status=row.status,
                basis=row.basis,
            )
        )
    brought: dict[int, Decimal] = defaultdict(Decimal)
    for balance in CarriedBalance.objects.filter(paid_in_pool=pool):
        brought[balance.member_id] += balance.amount
    carried_out = {b.member_id: b.amount for b in CarriedBalance.objects.filter(from_pool=pool)}
    payments = [
        MemberPayment(member_id=m, member_name=names[m], this_pool=this_pool[m], brought_forward=brought[m])
        for m in this_pool
    ]
    zero = Decimal("0.00")
    return PoolPreview(
        pool=pool,
        is_issued=True,
        gross=cents_to_decimal(gross),
        fee=cents_to_decimal(fee),
        net=cents_to_decimal(net),
        paid=by_status[PAYABLE] + zero,
        held=by_status[HELD] + zero,
        carried=by_status[CARRIED] + zero,
        unallocated=zero,
        brought_forward=sum(brought.values(), zero),
        members=len(names),
        works=len({(line.training_set_id, line.work_id) for line in lines}),
        payments=_largest_first(payments),
        carried_out=carried_out,
        lines=_in_reading_order(lines),
        fingerprint="",
    )


def pool_preview(*, pool: ResidualPool) -> PoolPreview:
    """How the pool is (if issued) or would be (if issued now) shared, with its totals.
    Reads only; a draft is recomputed from the claims every time."""
    if pool.status == PoolStatus.ISSUED:
        return _stored(pool)
    return pool_compute(pool=pool).preview
