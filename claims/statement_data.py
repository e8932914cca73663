"""What a residual statement says, as plain, frozen values, and what is made from them.

Pure: no database, no models. `claims.selectors.residuals.statement_data` reads a statement's rows
once into a `StatementData`; the PDF, the CSV beside it and the fingerprint are all made from it, so
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
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from claims.allocation import CATEGORY_PLURAL, percent, weights_from
from claims.enums import AllocationStatus
from members.enums import CreditCategory, Job
from portal.spreadsheets import neutralise

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
    # In the order claims/allocation.py shares the money: works first, then kinds of role.
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


def money(value: Decimal | int | None) -> Decimal:
    """An amount to the cent; None (an empty sum) is 0.00."""
    return (Decimal(value) if value is not None else ZERO).quantize(Decimal("0.01"))


def role_text(*, category: str, job: str) -> str:
    """The job as credited, with the kind of work (which sets the pool's weights) when the job
    does not say it: "Principal performer", "Written by (writer)", "Gaffer (crew)"."""
    category_label = CreditCategory(category).label if category in CreditCategory.values else category
    job_label = Job(job).label if job in Job.values else job
    if not job_label:
        return category_label
    return job_label if category_label.lower() in job_label.lower() else f"{job_label} ({category_label.lower()})"


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


def rule_text(
    *,
    rule: str,
    payer: str,
    currency: str,
    gross_amount: Decimal,
    training_sets: Iterable[str],
    period_start: date,
    period_end: date,
    admin_fee_percent: Decimal,
    category_weights: Mapping[str, Decimal | str | int],
) -> str:
    """The plain-language account of how a pool was shared, from the terms stored with it."""
    template = RULE_TEXT.get(rule, RULE_TEXT_FALLBACK)
    return template.format(
        payer=payer,
        gross=f"{currency} {money(gross_amount):,}",
        sets=", ".join(training_sets) or "the listed training sets",
        start=f"{period_start:%-d %B %Y}",
        end=f"{period_end:%-d %B %Y}",
        fee=f"{Decimal(admin_fee_percent).normalize():f}",
        weights=_weights_text(category_weights or {}),
        rule=rule,
    )


def subtotals(lines: Iterable[StatementLine]) -> tuple[TrainingSetSubtotal, ...]:
    """One subtotal per training set, in the sets' alphabetical order."""
    ordered = sorted(lines, key=lambda line: line.training_set)
    return tuple(
        TrainingSetSubtotal(training_set=name, amount=sum((line.amount for line in group), ZERO))
        for name, group in groupby(ordered, key=lambda line: line.training_set)
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
