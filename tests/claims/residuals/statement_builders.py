"""Issued residual pools with allocation lines, built fast with bulk_create (tests and the benchmark).

The pool-allocation service is someone else's; statements only need its output (lines and
carried balances), so these builders write those rows directly.
"""

import datetime
import itertools
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from claims.enums import AllocationStatus, ClaimStatus, PoolStatus, StatementStatus
from claims.models import AllocationLine, CarriedBalance, Claim, ResidualPool, Statement, StatementRun, TrainingSet
from members.enums import JOB_CATEGORY, WorkType
from members.models import Credit, MemberProfile, Membership, Union, User, Work

_counter = itertools.count(1)


def make_issued_pool(
    *,
    payer: str = "Acme AI",
    training_sets: Sequence[TrainingSet] | None = None,
    period_start: datetime.date = datetime.date(2025, 1, 1),
    period_end: datetime.date = datetime.date(2025, 6, 30),
    currency: str = "USD",
) -> ResidualPool:
    """An issued pool of 100,000.00 (5% fee) over these training sets; None: a new set of its own."""
    if training_sets is None:
        run_tag = next(_counter)
        training_sets = [
            TrainingSet.objects.create(
                name=f"Statement set {run_tag}-{timezone.now():%H%M%S%f}", developer=payer, media=["subtitles"]
            )
        ]
    pool = ResidualPool.objects.create(
        payer=payer,
        period_start=period_start,
        period_end=period_end,
        gross_amount=Decimal("100000.00"),
        currency=currency,
        admin_fee_percent=Decimal("5.00"),
        category_weights={"performer": "40", "writer": "40", "crew": "20"},
        status=PoolStatus.ISSUED,
        issued_at=timezone.now(),
    )
    pool.training_sets.add(*training_sets)
    return pool


def add_lines(
    pool: ResidualPool, member: MemberProfile, amounts: list[Decimal | str], *, job: str = "principal"
) -> list[AllocationLine]:
    """One verified claim and allocation line per amount, each on its own work."""
    training_set = pool.training_sets.get()
    lines = []
    for amount in amounts:
        tag = next(_counter)
        work = Work.objects.create(
            title=f"Work {tag} of {member.pk}",
            title_key=f"work {tag} of {member.pk}",
            work_type=WorkType.FEATURE_FILM,
            year=2001 + tag % 20,
        )
        credit = Credit.objects.create(member=member, work=work, job=job)
        claim = Claim.objects.create(
            member=member, credit=credit, training_set=training_set, status=ClaimStatus.VERIFIED
        )
        lines.append(
            AllocationLine.objects.create(
                pool=pool,
                member=member,
                claim=claim,
                work=work,
                training_set=training_set,
                category=JOB_CATEGORY[job],
                work_share="1/10",
                member_share="1/1",
                basis="1/10 of the performers' share, all of it yours",
                amount=Decimal(amount),
                status=AllocationStatus.PAYABLE,
            )
        )
    return lines


def add_carried_in(pool: ResidualPool, member: MemberProfile, amount: str) -> CarriedBalance:
    earlier = make_issued_pool(payer="Earlier payer")
    return CarriedBalance.objects.create(member=member, from_pool=earlier, amount=Decimal(amount), paid_in_pool=pool)


def add_statement(
    run: StatementRun, member: MemberProfile, *, status: str = StatementStatus.DONE, total: str = "10.00"
) -> Statement:
    """A statement row in the run as a worker leaves it (done, or failed with its reason), no file."""
    return Statement.objects.create(
        run=run,
        member=member,
        number=f"ST-{run.pool_id}-{member.pk}-v1",
        status=status,
        total_payable=Decimal(total),
        error="Rendering took longer than 0.5 seconds." if status == StatementStatus.FAILED else "",
        attempts=1,
    )


def bulk_pool(
    *, members: int, lines_per_member: int = 3, union_short_name: str = "SAG-AFTRA", email_domain: str = "bench.example"
) -> tuple[ResidualPool, dict[int, Decimal]]:
    """An issued pool with `members` new members, each with `lines_per_member` payable lines.

    Returns the pool and each member's expected total (the sum of their lines)."""
    tag = next(_counter)
    pool = make_issued_pool()
    training_set = pool.training_sets.get()
    union = Union.objects.get(short_name=union_short_name)
    stamp = f"{tag}-{timezone.now():%H%M%S%f}"
    users = User.objects.bulk_create(
        [User(email=f"m{i}-{stamp}@{email_domain}", password="!") for i in range(members)], batch_size=2000
    )
    profiles = MemberProfile.objects.bulk_create(
        [
            MemberProfile(
                user=user,
                legal_name=f"Member {i} Bulk",
                address_line1=f"{i} Main Street",
                city="Burbank",
                region="CA",
                postal_code="91501",
            )
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [Membership(member=profile, union=union, member_number=f"B{stamp}-{i}") for i, profile in enumerate(profiles)],
        batch_size=2000,
    )
    works = Work.objects.bulk_create(
        [
            Work(
                title=f"Bulk work {stamp} {i}",
                title_key=f"bulk work {stamp} {i}",
                work_type=WorkType.FEATURE_FILM,
                year=1990 + i % 30,
            )
            for i in range(members * lines_per_member)
        ],
        batch_size=2000,
    )
    credits = Credit.objects.bulk_create(
        [
            Credit(
                member=profiles[i // lines_per_member], work=work, job="principal", category=JOB_CATEGORY["principal"]
            )
            for i, work in enumerate(works)
        ],
        batch_size=2000,
    )
    claims = Claim.objects.bulk_create(
        [
            Claim(member_id=credit.member_id, credit=credit, training_set=training_set, status=ClaimStatus.VERIFIED)
            for credit in credits
        ],
        batch_size=2000,
    )
    expected: dict[int, Decimal] = {}
    lines = []
    for i, claim in enumerate(claims):
        amount = Decimal(10 + (i * 37) % 900) + Decimal(i % 100) / 100
        expected[claim.member_id] = expected.get(claim.member_id, Decimal("0.00")) + amount
        lines.append(
            AllocationLine(
                pool=pool,
                member_id=claim.member_id,
                claim=claim,
                work=works[i],
                training_set=training_set,
                category=JOB_CATEGORY["principal"],
                work_share=f"1/{members}",
                member_share="1/1",
                basis="an equal share of the performers' money",
                amount=amount,
                status=AllocationStatus.PAYABLE,
            )
        )
    AllocationLine.objects.bulk_create(lines, batch_size=2000)
    return pool, expected
