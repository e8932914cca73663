"""The default sharing rule, on worked examples and as properties of random pools:
nothing lost or invented, every line within a cent of its exact share, order does not matter."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.allocation import (
    CARRIED,
    HELD,
    PAYABLE,
    Claimant,
    WorkClaims,
    allocate,
    cents_to_decimal,
    decimal_to_cents,
    fee_cents,
    largest_remainder,
    threshold_apply,
)

WEIGHTS = {"performer": "40", "writer": "40", "crew": "20"}


def work(work_id: int, *claimants: Claimant, training_set_id: int = 1) -> WorkClaims:
    return WorkClaims(work_id=work_id, training_set_id=training_set_id, claimants=tuple(claimants))


def by_claim(result) -> dict[int, int]:
    return {line.claim_id: line.cents for line in result.lines}


# Worked examples


def test_allocate_splits_a_work_40_40_20_between_performer_writer_and_crew():
    result = allocate(
        net_cents=100_00,
        category_weights=WEIGHTS,
        works=[work(1, Claimant(1, 11, "performer"), Claimant(2, 12, "writer"), Claimant(3, 13, "crew"))],
    )
    assert by_claim(result) == {1: 40_00, 2: 40_00, 3: 20_00}
    assert result.lines[0].basis == "1 of 1 works; performers' 40%; the only claimant"


def test_allocate_renormalises_the_weights_when_a_category_has_no_claimant():
    result = allocate(
        net_cents=100_00,
        category_weights=WEIGHTS,
        works=[work(1, Claimant(1, 11, "performer"), Claimant(2, 12, "writer"))],
    )
    assert by_claim(result) == {1: 50_00, 2: 50_00}
    assert "performers' 50% (weight 40 of 80: no crew claimed this work)" in result.lines[0].basis


def test_allocate_renormalises_to_crew_alone():
    result = allocate(
        net_cents=90_00,
        category_weights=WEIGHTS,
        works=[work(1, Claimant(1, 11, "crew"), Claimant(2, 12, "crew"), Claimant(3, 13, "crew"))],
    )
    assert by_claim(result) == {1: 30_00, 2: 30_00, 3: 30_00}


def test_allocate_splits_co_writers_by_their_declared_60_40():
    result = allocate(
        net_cents=100_00,
        category_weights=WEIGHTS,
        works=[
            work(
                1,
                Claimant(1, 11, "performer"),
                Claimant(2, 12, "writer", Decimal("60")),
                Claimant(3, 13, "writer", Decimal("40")),
            )
        ],
    )
    # Writers' half of the work (40 of 80), then 60 / 40.
    assert by_claim(result) == {1: 50_00, 2: 30_00, 3: 20_00}
    assert result.lines[1].basis.endswith("your declared 60%")


def test_allocate_gives_the_undeclared_rest_equally_to_those_who_did_not_declare():
    result = allocate(
        net_cents=100_00,
        category_weights=WEIGHTS,
        works=[work(1, Claimant(1, 11, "writer", Decimal("50")), Claimant(2, 12, "writer"), Claimant(3, 13, "writer"))],
    )
    assert by_claim(result) == {1: 50_00, 2: 25_00, 3: 25_00}
    assert result.lines[1].basis.endswith("equal part of the 50% not declared, 1 of 2")


def test_allocate_scales_declared_shares_that_do_not_total_100():
    result = allocate(
        net_cents=90_00,
        category_weights=WEIGHTS,
        works=[work(1, Claimant(1, 11, "writer", Decimal("30")), Claimant(2, 12, "writer", Decimal("60")))],
    )
    assert by_claim(result) == {1: 30_00, 2: 60_00}
    assert "declared shares total 90%, scaled to 100%" in result.lines[0].basis


def test_allocate_sets_declarations_aside_when_they_leave_nothing_for_the_others():
    result = allocate(
        net_cents=90_00,
        category_weights=WEIGHTS,
        works=[
            work(1, Claimant(1, 11, "writer", Decimal("100")), Claimant(2, 12, "writer"), Claimant(3, 13, "writer"))
        ],
    )
    assert by_claim(result) == {1: 30_00, 2: 30_00, 3: 30_00}
    assert "declared shares left nothing" in result.lines[0].basis


def test_allocate_holds_the_whole_work_when_one_claim_is_disputed():
    result = allocate(
        net_cents=100_00,
        category_weights=WEIGHTS,
        works=[
            work(1, Claimant(1, 11, "writer")),
            work(2, Claimant(2, 12, "writer"), Claimant(3, 13, "performer", disputed=True)),
        ],
    )
    statuses = {line.claim_id: (line.status, line.cents) for line in result.lines}
    assert statuses == {1: (PAYABLE, 50_00), 2: (HELD, 25_00), 3: (HELD, 25_00)}
    assert result.lines[1].basis.startswith("held: a claim on this work is disputed")


def test_allocate_explains_the_basis_in_words():
    works = [work(n, Claimant(n, 100 + n, "performer")) for n in range(1, 37)]
    works.append(
        work(
            37,
            Claimant(37, 1, "writer", Decimal("50")),
            Claimant(38, 2, "writer", Decimal("50")),
            Claimant(39, 3, "performer"),
            Claimant(40, 4, "crew"),
        )
    )
    result = allocate(net_cents=37_000_00, category_weights=WEIGHTS, works=works)
    line = next(line for line in result.lines if line.claim_id == 37)
    assert line.basis == "1 of 37 works; writers' 40%; your declared 50%"
    assert line.work_share == Fraction(1, 37) and line.member_share == Fraction(1, 5)
    assert line.cents == 200_00


def test_allocate_gives_leftover_cents_to_the_lowest_member_id_on_a_tie():
    result = allocate(
        net_cents=100,
        category_weights=WEIGHTS,
        works=[work(1, Claimant(7, 30, "crew"), Claimant(8, 10, "crew"), Claimant(9, 20, "crew"))],
    )
    assert by_claim(result) == {8: 34, 9: 33, 7: 33}


def test_allocate_rounds_across_the_whole_pool_not_per_work():
    # Three works of 33 1/3 cents each: per-work rounding would lose a cent.
    result = allocate(
        net_cents=100, category_weights=WEIGHTS, works=[work(n, Claimant(n, n, "writer")) for n in (1, 2, 3)]
    )
    assert sorted(by_claim(result).values()) == [33, 33, 34]
    assert by_claim(result)[1] == 34


def test_allocate_with_no_claims_leaves_the_pool_unallocated():
    result = allocate(net_cents=500_00, category_weights=WEIGHTS, works=[])
    assert result.lines == () and result.unallocated_cents == 500_00


@pytest.mark.parametrize("weights", [{"performer": "0", "writer": "40", "crew": "20"}, {}])
def test_allocate_refuses_weights_that_are_not_positive(weights):
    with pytest.raises(ValueError, match="weight"):
        allocate(net_cents=100, category_weights=weights, works=[work(1, Claimant(1, 1, "writer"))])


def test_allocate_refuses_a_claim_listed_twice():
    with pytest.raises(ValueError, match="listed twice"):
        allocate(
            net_cents=100,
            category_weights=WEIGHTS,
            works=[work(1, Claimant(1, 1, "writer")), work(2, Claimant(1, 1, "writer"))],
        )


def test_threshold_carries_a_member_below_it_and_pays_one_above():
    result = allocate(
        net_cents=20_00,
        category_weights=WEIGHTS,
        works=[work(1, Claimant(1, 11, "writer")), work(2, Claimant(2, 12, "writer"), Claimant(3, 13, "writer"))],
    )
    decision = threshold_apply(lines=result.lines, threshold_cents=10_00)
    statuses = {line.claim_id: (line.status, line.cents) for line in decision.lines}
    assert statuses == {1: (PAYABLE, 10_00), 2: (CARRIED, 5_00), 3: (CARRIED, 5_00)}
    assert decision.carried_out == {12: 5_00, 13: 5_00}
    assert decision.paid_members == {11}
    assert decision.lines[1].basis.endswith("carried forward: below the payment threshold")


def test_threshold_counts_what_was_carried_from_earlier_pools():
    result = allocate(net_cents=5_00, category_weights=WEIGHTS, works=[work(1, Claimant(1, 11, "writer"))])
    decision = threshold_apply(lines=result.lines, threshold_cents=10_00, earlier_carried={11: 5_00})
    assert decision.lines[0].status == PAYABLE and decision.paid_members == {11}
    assert decision.carried_out == {}


def test_threshold_leaves_held_lines_held():
    result = allocate(
        net_cents=5_00, category_weights=WEIGHTS, works=[work(1, Claimant(1, 11, "writer", disputed=True))]
    )
    decision = threshold_apply(lines=result.lines, threshold_cents=10_00, earlier_carried={11: 9_00})
    assert decision.lines[0].status == HELD
    assert decision.carried_out == {} and decision.paid_members == frozenset()


def test_fee_is_rounded_half_up_to_the_cent():
    assert fee_cents(gross_cents=10, fee_percent=Decimal("5")) == 1  # 0.5 cent rounds up
    assert fee_cents(gross_cents=10, fee_percent=Decimal("4.9")) == 0  # 0.49 cent rounds down
    assert fee_cents(gross_cents=1_000_000_00, fee_percent=Decimal("7.25")) == 72_500_00


def test_money_converts_between_decimal_and_cents_exactly():
    assert decimal_to_cents(Decimal("123456789012.34")) == 12345678901234
    assert cents_to_decimal(12345678901234) == Decimal("123456789012.34")
    assert str(cents_to_decimal(7)) == "0.07"
    with pytest.raises(ValueError, match="fractions of a cent"):
        decimal_to_cents(Decimal("0.005"))


# Properties of random pools

CATEGORIES = ["performer", "writer", "crew"]
shares = st.one_of(st.none(), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2))
weights = st.fixed_dictionaries(
    {category: st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2) for category in CATEGORIES}
)


@st.composite
def pools(draw):
    """A random pool: up to 12 works in up to 2 sets, 1 to 6 claims each, members claiming several works."""
    claim_ids = iter(range(1, 10_000))
    works = []
    for work_id in range(1, draw(st.integers(0, 12)) + 1):
        specs = draw(
            st.lists(
                st.tuples(st.integers(1, 8), st.sampled_from(CATEGORIES), shares, st.booleans()), min_size=1, max_size=6
            )
        )
        disputed_work = draw(st.integers(0, 4)) == 0
        claimants = tuple(
            Claimant(
                claim_id=next(claim_ids),
                member_id=member_id,
                category=category,
                declared_share=share,
                disputed=disputed_work and flag,
            )
            for member_id, category, share, flag in specs
        )
        works.append(WorkClaims(work_id=work_id, training_set_id=draw(st.integers(1, 2)), claimants=claimants))
    net_cents = draw(st.integers(0, 10**12))
    return net_cents, works, draw(weights)


@settings(max_examples=300, deadline=None)
@given(pools())
def test_property_lines_sum_exactly_to_the_net_pool(pool):
    net_cents, works, category_weights = pool
    result = allocate(net_cents=net_cents, works=works, category_weights=category_weights)
    assert sum(line.cents for line in result.lines) + result.unallocated_cents == net_cents
    assert sum(line.exact_cents for line in result.lines) + result.unallocated_cents == net_cents
    assert all(isinstance(line.cents, int) and line.cents >= 0 for line in result.lines)


@settings(max_examples=300, deadline=None)
@given(pools())
def test_property_every_line_is_within_one_cent_of_its_exact_share(pool):
    net_cents, works, category_weights = pool
    result = allocate(net_cents=net_cents, works=works, category_weights=category_weights)
    for line in result.lines:
        assert abs(line.cents - line.exact_cents) < 1
        assert line.exact_cents == net_cents * line.work_share * line.member_share


@settings(max_examples=200, deadline=None)
@given(pools(), st.randoms(use_true_random=False))
def test_property_the_result_does_not_depend_on_input_order(pool, rnd):
    net_cents, works, category_weights = pool
    shuffled = [
        WorkClaims(
            work_id=w.work_id,
            training_set_id=w.training_set_id,
            claimants=tuple(rnd.sample(w.claimants, len(w.claimants))),
        )
        for w in works
    ]
    rnd.shuffle(shuffled)
    first = allocate(net_cents=net_cents, works=works, category_weights=category_weights)
    second = allocate(net_cents=net_cents, works=shuffled, category_weights=category_weights)
    assert sorted(first.lines, key=lambda line: line.claim_id) == sorted(second.lines, key=lambda line: line.claim_id)


@settings(max_examples=200, deadline=None)
@given(pools())
def test_property_works_with_a_disputed_claim_are_held_whole(pool):
    net_cents, works, category_weights = pool
    result = allocate(net_cents=net_cents, works=works, category_weights=category_weights)
    disputed = {(w.training_set_id, w.work_id) for w in works if any(c.disputed for c in w.claimants)}
    for line in result.lines:
        assert (line.status == HELD) == ((line.training_set_id, line.work_id) in disputed)
    # Each work's claims share exactly the whole work.
    per_work: dict = {}
    for line in result.lines:
        per_work[(line.training_set_id, line.work_id)] = (
            per_work.get((line.training_set_id, line.work_id), 0) + line.member_share
        )
    assert all(total == 1 for total in per_work.values())


@settings(max_examples=200, deadline=None)
@given(pools(), st.integers(0, 5000), st.dictionaries(st.integers(1, 8), st.integers(1, 3000), max_size=4))
def test_property_paid_held_and_carried_sum_to_the_net_pool(pool, threshold_cents, earlier):
    net_cents, works, category_weights = pool
    result = allocate(net_cents=net_cents, works=works, category_weights=category_weights)
    decision = threshold_apply(lines=result.lines, threshold_cents=threshold_cents, earlier_carried=earlier)
    totals = {PAYABLE: 0, HELD: 0, CARRIED: 0}
    payable: dict[int, int] = {}
    for line in decision.lines:
        totals[line.status] += line.cents
        if line.status == PAYABLE:
            payable[line.member_id] = payable.get(line.member_id, 0) + line.cents
    assert sum(totals.values()) + result.unallocated_cents == net_cents
    assert totals[CARRIED] == sum(decision.carried_out.values())
    assert [line.cents for line in decision.lines] == [line.cents for line in result.lines]
    for member_id, cents in payable.items():
        assert cents + earlier.get(member_id, 0) >= threshold_cents
    for member_id, cents in decision.carried_out.items():
        assert cents + earlier.get(member_id, 0) < threshold_cents


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fractions(min_value=0, max_value=10**6, max_denominator=1000), min_size=1, max_size=30))
def test_property_largest_remainder_keeps_the_total_and_stays_within_a_cent(amounts):
    total_exact = sum(amounts)
    # Make the amounts add up to a whole number of cents, as the shares of a pool do.
    amounts[-1] += (-total_exact) % 1
    total = int(sum(amounts))
    cents = largest_remainder([(amount, (i,)) for i, amount in enumerate(amounts)], total)
    assert sum(cents) == total
    assert all(abs(c - a) < 1 for c, a in zip(cents, amounts, strict=True))
