"""Money as every page shows it: the currency, then the amount to the cent with thousands
separators ("USD 9,421.28"), whatever the Decimal's own exponent is (a database sum can come back as
9421.28000000000). The statement PDF prints its amounts with `money_text` too (claims/pdf.py)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

CENT = Decimal("0.01")


def money_text(amount: Decimal | int | str | None, currency: str = "") -> str:
    """'USD 1,234.50'; '' for no amount at all (None or ''), so an empty cell stays empty."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{currency} {value:,.2f}".strip()


@register.filter
def money(amount: Decimal | int | str | None, currency: str = "") -> str:
    return money_text(amount, currency)
