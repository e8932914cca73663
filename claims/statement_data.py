"""What a residual statement says, read once from the database into plain, frozen values.

The PDF, the CSV beside it and the fingerprint are all made from one `StatementData`, so
they can never disagree. The fingerprint is the SHA-256 of `canonical_json(data)`: stored on
the Statement when it is rendered, printed on the PDF, and checked by the public "verify a
statement" page.

How the totals add up (`total_payable`):
    earned this period (every line)
  - held: lines on works whose claims are disputed
  - carried forward: the member's balance below the payment threshold, paid on a later statement
  + brought forward: balances from earlier statements, paid now
"""

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from django.db.models import Q, Sum
from django.utils import timezone

from claims.allocation import CATEGORY_PLURAL, percent, weights_from
from claims.enums import AllocationStatus, StatementStatus
from claims.models import AllocationLine, CarriedBalance, ResidualPool, Statement
from claims.selectors.discovery.exports import neutralise
from members.enums import CreditCategory, Job

ZERO = Decimal("0.00")
CSV_HEADER = [
    "statement",
    "training set",
    "work",
    "year",
    "role",
    "work's share of the pool",
    "member's share of the work",
    "basis",
    "status",
    "amount",
    "currency",
]

# What each allocation rule (ResidualPool.rule) means, in words a member reads on the statement.
RULE_TEXT = {
    # In the order claims/services/allocation.py shares the money: works first, then kinds of role.
    "equal-works-v1": (
        "{payer} paid {gross} for the use of members' work in {sets} from {start} to {end}. "
        "After the union's administration fee of {fee}%, every work with a verified claim received an "
        "equal share (the work's share). Each work's share was split between the kinds of role "
        "({weights}; a kind that no one claimed on the work leaves its part to the others), then "
        "between the members of each kind, equally or as declared (your share)."
    ),
}
RULE_TEXT_FALLBACK = (
    "{payer} paid {gross} for the use of members' work in {sets} from {start} to {end}. After the "
    'union\'s administration fee of {fee}%, it was shared among verified claims by rule "{rule}".'
)


@dataclass(frozen=True)
class StatementLine:
    """One allocation line: one of the member's works in one training set."""

    work_title: str
    work_year: int
    training_set: str
    category: str
    basis: str
    amount: Decimal
    status: str  # an AllocationStatus value
    work_share: str = ""
    member_share: str = ""


@dataclass(frozen=True)
class TrainingSetSubtotal:
    training_set: str
    amount: Decimal


@dataclass(frozen=True)
class StatementData:
    """Everything printed on one statement; nothing here is read again while rendering."""

    union_names: tuple[str, ...]
    member_legal_name: str
    professional_names: tuple[str, ...]
    member_numbers: tuple[str, ...]
    postal_address_lines: tuple[str, ...]
    statement_number: str
    version: int
    period_start: date
    period_end: date
    issue_date: date
    currency: str
    payer: str
    lines: tuple[StatementLine, ...]
    subtotals: tuple[TrainingSetSubtotal, ...]
    earned_total: Decimal
    held_total: Decimal
    carried_forward_total: Decimal
    brought_forward_total: Decimal
    total_payable: Decimal
    year_to_date_total: Decimal
    rule_description: str


def _money(value: Decimal | int | None) -> Decimal:
    return (Decimal(value) if value is not None else ZERO).quantize(Decimal("0.01"))


def _role(line: AllocationLine) -> str:
    """The job as credited, with the kind of work (which sets the pool's weights) when the job
    does not say it: "Principal performer", "Written by (writer)", "Gaffer (crew)"."""
    category = CreditCategory(line.category).label if line.category in CreditCategory.values else line.category
    job = line.claim.credit.job
    job_label = Job(job).label if job in Job.values else job
    if not job_label:
        return category
    return job_label if category.lower() in job_label.lower() else f"{job_label} ({category.lower()})"


def _weights_text(category_weights: Mapping[str, Decimal | str | int]) -> str:
    """The weights as parts of the whole ("performers 40%"), whatever numbers staff typed (2 / 2 / 1 too)."""
    weights = weights_from(category_weights) if category_weights else {}
    total = sum(weights.values())
    return (
        ", ".join(
            f"{CATEGORY_PLURAL.get(category, category)} {percent(weight / total)}"
            for category, weight in weights.items()
        )
        or "all kinds equally"
    )


def rule_description(pool: ResidualPool) -> str:
    """The plain-language account of how this pool was shared."""
    template = RULE_TEXT.get(pool.rule, RULE_TEXT_FALLBACK)
    sets = ", ".join(str(ts) for ts in pool.training_sets.all()) or "the listed training sets"
    return template.format(
        payer=pool.payer,
        gross=f"{pool.currency} {_money(pool.gross_amount):,}",
        sets=sets,
        start=f"{pool.period_start:%-d %B %Y}",
        end=f"{pool.period_end:%-d %B %Y}",
        fee=f"{Decimal(pool.admin_fee_percent).normalize():f}",
        weights=_weights_text(pool.category_weights or {}),
        rule=pool.rule,
    )


def _subtotals(lines: tuple[StatementLine, ...]) -> tuple[TrainingSetSubtotal, ...]:
    ordered = sorted(lines, key=lambda line: line.training_set)
    return tuple(
        TrainingSetSubtotal(training_set=name, amount=sum((line.amount for line in group), ZERO))
        for name, group in groupby(ordered, key=lambda line: line.training_set)
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
            category=_role(line),
            basis=line.basis,
            amount=_money(line.amount),
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
    carried = _money(carried_out) if carried_out is not None else carried_lines
    brought = _money(balances.filter(paid_in_pool=pool).aggregate(total=Sum("amount"))["total"])
    total = earned - held - carried + brought

    issue_date = _issue_date(statement)
    earlier_this_year = (
        (
            Statement.objects.filter(member=member, status=StatementStatus.DONE, created_at__year=issue_date.year)
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
        subtotals=_subtotals(lines),
        earned_total=earned,
        held_total=held,
        carried_forward_total=carried,
        brought_forward_total=brought,
        total_payable=total,
        year_to_date_total=_money(earlier_this_year) + total,
        rule_description=rule_description(pool),
    )


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no canonical form")


def canonical_json(data: StatementData) -> bytes:
    """The statement as sorted, compact UTF-8 JSON; Decimals and dates as strings, lines in order."""
    return json.dumps(
        asdict(data), default=_json_default, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def fingerprint(data: StatementData) -> str:
    """SHA-256 (hex) of the canonical data: anyone holding the statement can check it is ours."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


def lines_csv(data: StatementData) -> bytes:
    """The statement's lines as CSV (UTF-8), the same rows the PDF prints; titles come from
    manifests, so every cell is neutralised against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in data.lines:
        writer.writerow(
            [
                neutralise(value)
                for value in [
                    data.statement_number,
                    line.training_set,
                    line.work_title,
                    line.work_year,
                    line.category,
                    line.work_share,
                    line.member_share,
                    line.basis,
                    AllocationStatus(line.status).label if line.status in AllocationStatus.values else line.status,
                    f"{line.amount:f}",
                    data.currency,
                ]
            ]
        )
    return buffer.getvalue().encode()


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
