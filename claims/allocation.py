"""How a residual pool is shared: the default rule ("equal-works-v1"), in exact arithmetic.

Pure: no database, no Django models. The pool preview (`claims.selectors.residuals.pool_preview`) reads
claims into `WorkClaims` and writes the `AllocationResult` it gets back.

The rule, as the README and every statement print it:

1. The net pool is shared equally among the works of the pool's training sets that have at
   least one verified or disputed claim. A work listed in two sets of the pool counts once per
   set (each set's claims are separate claims).
2. A work's share is split among its claimants by the pool's category weights (performer /
   writer / crew), re-normalised over the categories that have a claimant on that work.
3. Within a category, by declared shares:
   - nobody declared: equal shares;
   - everybody declared: each declared share over the sum of the declared shares
     (so 30 + 60 becomes 1/3 and 2/3);
   - some declared, some did not, and the declared shares total under 100%: the declared
     shares stand, and those who did not declare split the rest equally;
   - some did not declare, but the declared shares already total 100% or more: the
     declarations cannot all be right, so they are set aside and the category is split equally.
   Each claim is one claimant (a member credited twice in a category has two claims).
4. If any claim on a work is disputed, the whole work's share is held: its lines show the
   split among everyone claiming it (verified and disputed) but nothing of it is paid.
5. Amounts are exact fractions of a cent until the end; then every line of the pool is rounded
   together by the largest-remainder method: each line gets the whole cents of its exact share,
   and the cents left over go one each to the lines with the largest remainders, ties broken
   by (member id, claim id). So the lines sum exactly to the net pool, every line is within one
   cent of its exact share, and the result does not depend on the order claims are read in.
6. A member whose payable total in this pool, plus what was carried forward to them from earlier
   pools, is below the payment threshold has their lines carried forward (`threshold_apply`).
7. Once the dispute on a held work is settled, its held amount is shared among the claims that
   were verified by rules 2-3 and rounded as in 5 within that amount
   (`claims.services.residuals.held_release`).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

RULE = "equal-works-v1"
CATEGORY_PLURAL = {"performer": "performers", "writer": "writers", "crew": "crew"}
CATEGORY_POSSESSIVE = {"performer": "performers'", "writer": "writers'", "crew": "crew's"}
# Line outcomes; the same values as claims.enums.AllocationStatus (kept here so this module
# stays free of Django).
PAYABLE, HELD, CARRIED = "payable", "held", "carried"


@dataclass(frozen=True)
class Claimant:
    """One claim on a work: verified, or disputed (which holds the whole work)."""

    claim_id: int
    member_id: int
    category: str
    declared_share: Decimal | None = None  # percent, as the member declared it
    disputed: bool = False


@dataclass(frozen=True)
class WorkClaims:
    """A work of one of the pool's training sets, with its verified and disputed claims."""

    work_id: int
    training_set_id: int
    claimants: tuple[Claimant, ...]


@dataclass(frozen=True)
class Line:
    """One claim's share of the pool. `exact_cents` is what rounding started from."""

    claim_id: int
    member_id: int
    work_id: int
    training_set_id: int
    category: str
    work_share: Fraction  # the work's share of the net pool
    member_share: Fraction  # the claim's share of the work
    exact_cents: Fraction
    cents: int
    status: str  # PAYABLE or HELD here; threshold_apply may make PAYABLE lines CARRIED
    basis: str


@dataclass(frozen=True)
class AllocationResult:
    net_cents: int
    lines: tuple[Line, ...]
    works: int
    # The whole net pool when no work has a verified or disputed claim: nothing can be shared yet.
    unallocated_cents: int


@dataclass(frozen=True)
class CarryDecision:
    """What the payment threshold did: lines with their final status, the amount each
    carrying member carries out of this pool, and whose earlier balances are paid now."""

    lines: tuple[Line, ...]
    carried_out: Mapping[int, int] = field(default_factory=dict)  # member id -> cents from this pool
    paid_members: frozenset[int] = frozenset()  # members paid now (their earlier balances too)


def percent(value: Fraction) -> str:
    """A share as a percent for people: 40%, 66.67%, 12.5%."""
    text = f"{(Decimal(value.numerator) / Decimal(value.denominator) * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}"
    return text.rstrip("0").rstrip(".") + "%"


def _decimal_percent(value: Decimal) -> str:
    return percent(Fraction(value) / 100)


def _category_shares(categories: set[str], weights: Mapping[str, Fraction]) -> dict[str, Fraction]:
    total = sum(weights[category] for category in categories)
    return {category: weights[category] / total for category in categories}


def _within_category(claimants: list[Claimant]) -> dict[int, tuple[Fraction, str]]:
    """Each claim's share of its category on one work, with the words that explain it."""
    declared = [(c, c.declared_share) for c in claimants if c.declared_share is not None]
    undeclared = [c for c in claimants if c.declared_share is None]
    count = len(claimants)
    if count == 1:
        return {claimants[0].claim_id: (Fraction(1), "the only claimant")}
    if not declared:
        return {c.claim_id: (Fraction(1, count), f"equal share, 1 of {count}") for c in claimants}
    declared_total = sum((Fraction(share) for _, share in declared), Fraction(0))
    if not undeclared:
        note = (
            "" if declared_total == 100 else f" (declared shares total {percent(declared_total / 100)}, scaled to 100%)"
        )
        return {
            c.claim_id: (
                Fraction(share) / declared_total,
                f"your declared {_decimal_percent(share)}{note}",
            )
            for c, share in declared
        }
    if declared_total < 100:
        rest = (100 - declared_total) / 100
        shares = {
            c.claim_id: (Fraction(share) / 100, f"your declared {_decimal_percent(share)}") for c, share in declared
        }
        for c in undeclared:
            shares[c.claim_id] = (
                rest / len(undeclared),
                f"equal part of the {percent(rest)} not declared, 1 of {len(undeclared)}",
            )
        return shares
    return {
        c.claim_id: (
            Fraction(1, count),
            f"equal share, 1 of {count} (declared shares left nothing for those who did not declare)",
        )
        for c in claimants
    }


def work_split(work: WorkClaims, weights: Mapping[str, Fraction]) -> dict[int, tuple[Fraction, str]]:
    """Each claim's share of one work, and the words for the category and declared parts."""
    by_category: dict[str, list[Claimant]] = defaultdict(list)
    for claimant in work.claimants:
        by_category[claimant.category].append(claimant)
    category_shares = _category_shares(set(by_category), weights)
    present_total = sum((weights[category] for category in by_category), Fraction(0))
    all_total = sum(weights.values(), Fraction(0))
    split = {}
    for category, claimants in by_category.items():
        share = category_shares[category]
        words = f"{CATEGORY_POSSESSIVE.get(category, category)} {percent(share)}"
        if present_total != all_total:
            missing = sorted(set(weights) - set(by_category))
            words += (
                f" (weight {_fraction_number(weights[category])} of {_fraction_number(present_total)}: "
                f"no {' or '.join(CATEGORY_PLURAL.get(m, m) for m in missing)} claimed this work)"
            )
        for claim_id, (within, within_words) in _within_category(claimants).items():
            split[claim_id] = (share * within, f"{words}; {within_words}")
    return split


def _fraction_number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(Decimal(value.numerator) / value.denominator)


def weights_from(category_weights: Mapping[str, Decimal | str | int]) -> dict[str, Fraction]:
    weights = {category: Fraction(Decimal(str(weight))) for category, weight in category_weights.items()}
    if not weights or any(weight <= 0 for weight in weights.values()):
        raise ValueError("Every category weight must be greater than zero.")
    return weights


def allocate(
    *, net_cents: int, works: Iterable[WorkClaims], category_weights: Mapping[str, Decimal | str | int]
) -> AllocationResult:
    """Share `net_cents` among the claims on `works` by the default rule (see the module docstring).

    Raises ValueError for a negative pool, a non-positive weight, a claimant whose category has
    no weight, or a claim listed twice; nothing else can go wrong, and no cent is lost or made up.
    """
    if net_cents < 0:
        raise ValueError("The net pool cannot be negative.")
    weights = weights_from(category_weights)
    # Sorting first is what makes the result independent of the order claims were read in.
    works = sorted((w for w in works if w.claimants), key=lambda w: (w.training_set_id, w.work_id))
    claim_ids = [c.claim_id for w in works for c in w.claimants]
    if len(claim_ids) != len(set(claim_ids)):
        raise ValueError("A claim is listed twice.")
    for work in works:
        for claimant in work.claimants:
            if claimant.category not in weights:
                raise ValueError(f"No weight for the category {claimant.category!r}.")
    if not works:
        return AllocationResult(net_cents=net_cents, lines=(), works=0, unallocated_cents=net_cents)

    work_share = Fraction(1, len(works))
    exact_lines = []
    for work in works:
        held = any(c.disputed for c in work.claimants)
        split = work_split(work, weights)
        for claimant in sorted(work.claimants, key=lambda c: (c.member_id, c.claim_id)):
            member_share, words = split[claimant.claim_id]
            basis = f"1 of {len(works)} works; {words}"
            if held:
                basis = f"held: a claim on this work is disputed; {basis}"
            exact_lines.append(
                (claimant, work, member_share, net_cents * work_share * member_share, basis, HELD if held else PAYABLE)
            )

    cents = largest_remainder([(line[3], (line[0].member_id, line[0].claim_id)) for line in exact_lines], net_cents)
    lines = tuple(
        Line(
            claim_id=claimant.claim_id,
            member_id=claimant.member_id,
            work_id=work.work_id,
            training_set_id=work.training_set_id,
            category=claimant.category,
            work_share=work_share,
            member_share=member_share,
            exact_cents=exact,
            cents=rounded,
            status=status,
            basis=basis,
        )
        for (claimant, work, member_share, exact, basis, status), rounded in zip(exact_lines, cents, strict=True)
    )
    return AllocationResult(net_cents=net_cents, lines=lines, works=len(works), unallocated_cents=0)


def largest_remainder(exact: list[tuple[Fraction, tuple[int, ...]]], total: int) -> list[int]:
    """Whole cents for exact, non-negative amounts that sum to `total`: floors first, then one more cent each
    to the largest remainders, ties broken by the given key (member id, claim id), smallest first."""
    floors = [amount.numerator // amount.denominator for amount, _ in exact]
    left = total - sum(floors)
    if not 0 <= left <= len(exact):
        raise ValueError("The exact amounts do not add up to the total.")
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i][0] - floors[i]), exact[i][1]))
    for i in order[:left]:
        floors[i] += 1
    return floors


def threshold_apply(
    *, lines: Iterable[Line], threshold_cents: int, earlier_carried: Mapping[int, int] | None = None
) -> CarryDecision:
    """Carry forward every member whose payable total here plus earlier carried balances is
    below the threshold. Held lines stay held; a member with only held lines is not paid and
    their earlier balances stay waiting."""
    earlier_carried = earlier_carried or {}
    lines = tuple(lines)
    payable: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.status == PAYABLE:
            payable[line.member_id] += line.cents
    carrying = {
        member_id for member_id, cents in payable.items() if cents + earlier_carried.get(member_id, 0) < threshold_cents
    }
    decided = tuple(
        replace(line, status=CARRIED, basis=line.basis + "; carried forward: below the payment threshold")
        if line.status == PAYABLE and line.member_id in carrying
        else line
        for line in lines
    )
    return CarryDecision(
        lines=decided,
        carried_out={member_id: payable[member_id] for member_id in sorted(carrying)},
        paid_members=frozenset(set(payable) - carrying),
    )


def decimal_to_cents(amount: Decimal) -> int:
    """Exact: refuses an amount with fractions of a cent instead of rounding it silently."""
    cents = Decimal(amount) * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} has fractions of a cent.")
    return int(cents)


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def fee_cents(*, gross_cents: int, fee_percent: Decimal) -> int:
    """The union's administration fee: gross × percent, rounded half-up to the cent."""
    return _round_half_up(Fraction(gross_cents) * Fraction(Decimal(str(fee_percent))) / 100)


def _round_half_up(value: Fraction) -> int:
    whole, rest = divmod(value.numerator, value.denominator)
    return whole + (1 if 2 * rest >= value.denominator else 0)
