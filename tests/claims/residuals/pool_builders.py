"""Residual pools recorded the way staff record them, through claims.services.residuals.pools."""

from datetime import date
from decimal import Decimal

from claims.services.residuals.pools import PoolDetails

WEIGHTS = {"performer": Decimal("40"), "writer": Decimal("40"), "crew": Decimal("20")}


def pool_details(training_sets, **changes) -> PoolDetails:
    """The pool form's answers: Acme AI pays 1,000.00 USD for the first half of 2025, 10% fee,
    75.00 payment threshold, performers and writers 40 each, crew 20; `changes` override them."""
    values = {
        "payer": "Acme AI",
        "training_sets": list(training_sets),
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 6, 30),
        "gross_amount": Decimal("1000.00"),
        "currency": "USD",
        "admin_fee_percent": Decimal("10"),
        "payment_threshold": Decimal("75.00"),
        "category_weights": WEIGHTS,
        **changes,
    }
    return PoolDetails(**values)
