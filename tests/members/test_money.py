"""Money as every page shows it: currency, two decimals, thousands separators."""

from decimal import Decimal

import pytest

from members.templatetags.money import money_text


@pytest.mark.parametrize(
    "amount, currency, shown",
    [
        (Decimal("9421.28000000000"), "USD", "USD 9,421.28"),  # a database sum's long exponent
        (Decimal("7125"), "USD", "USD 7,125.00"),
        (Decimal("0.5"), "EUR", "EUR 0.50"),
        (Decimal("1234567.891"), "GBP", "GBP 1,234,567.89"),
        (Decimal("-12.30"), "USD", "USD -12.30"),
        (3, "", "3.00"),
        (None, "USD", ""),
    ],
)
def test_money_text_shows_currency_two_decimals_and_thousands(amount, currency, shown):
    assert money_text(amount, currency) == shown
