"""A pool's amounts: checked by the service for any caller, stored to the cent, fingerprinted as money."""

from decimal import Decimal

import pytest

from claims.enums import ClaimStatus, PoolStatus
from claims.models import ResidualPool
from claims.selectors.residuals.pool_preview import pool_preview
from claims.services.claims.transitions import Actor, claim_transition
from claims.services.residuals.pools import PoolActionRefused, pool_create, pool_issue
from tests.claims.residuals.pool_builders import pool_details
from tests.factories import make_claim, make_member, make_training_set


@pytest.fixture
def training_set(db):
    return make_training_set(name="OpenSubs 2024")


def test_pool_preview_fingerprint_does_not_depend_on_how_the_amount_was_written(training_set, decider, verifier):
    claim = make_claim(make_member(email="ana@example.org"), title="Night Harbor", training_set=training_set)
    claim = claim_transition(claim=claim, to=ClaimStatus.IN_REVIEW, actor=Actor(user=decider))
    claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=Actor(user=decider))
    written_plainly = pool_create(
        data=pool_details([training_set], gross_amount=Decimal("5000"), admin_fee_percent=Decimal("5")),
        created_by=verifier,
    )
    as_read_back = ResidualPool.objects.get(pk=written_plainly.pk)

    assert pool_preview(pool=written_plainly).fingerprint == pool_preview(pool=as_read_back).fingerprint
    issued = pool_issue(
        pool=written_plainly, issued_by=verifier, expected_fingerprint=pool_preview(pool=as_read_back).fingerprint
    )
    assert issued.status == PoolStatus.ISSUED


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("gross_amount", Decimal("1000000000000.00"), "amount paid must be between 0.01 and 999,999,999,999.99"),
        ("gross_amount", Decimal("0"), "amount paid must be between 0.01"),
        ("gross_amount", Decimal("10.005"), "amount paid must be an amount in whole cents"),
        ("admin_fee_percent", Decimal("101"), "administration fee (%) must be between 0.00 and 100.00"),
        ("payment_threshold", Decimal("-1"), "payment threshold must be between 0.00"),
        ("gross_amount", Decimal("NaN"), "amount paid must be an amount in whole cents"),
    ],
)
def test_pool_amounts_out_of_range_are_refused_with_a_message_and_nothing_is_stored(
    training_set, verifier, field, value, message
):
    with pytest.raises(PoolActionRefused) as refused:
        pool_create(data=pool_details([training_set], **{field: value}), created_by=verifier)
    assert message in refused.value.message
    assert not ResidualPool.objects.exists()
