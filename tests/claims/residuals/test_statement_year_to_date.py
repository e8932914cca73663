"""'Paid to you this year' on a statement adds only statements in the same currency."""

from datetime import date
from decimal import Decimal

from claims.enums import StatementStatus
from claims.models import Statement, StatementRun
from claims.selectors.residuals.statement_data import statement_data_for
from tests.claims.residuals.statement_builders import add_lines, make_issued_pool


def _done_statement(pool, member, number: str, total: str) -> Statement:
    run = StatementRun.objects.create(pool=pool)
    return Statement.objects.create(
        run=run, member=member, number=number, status=StatementStatus.DONE, total_payable=Decimal(total)
    )


def test_year_to_date_adds_only_statements_in_the_statements_currency(member):
    period = {"period_start": date(2024, 7, 1), "period_end": date(2024, 12, 31)}
    _done_statement(make_issued_pool(payer="Earlier dollars", **period), member, "ST-USD-1", "50.00")
    _done_statement(make_issued_pool(payer="Euro payer", currency="EUR", **period), member, "ST-EUR-1", "600.00")
    pool = make_issued_pool()
    add_lines(pool, member, ["120.00"])
    statement = _done_statement(pool, member, "ST-USD-2", "0.00")

    data = statement_data_for(statement)

    assert data.currency == "USD"
    assert data.total_payable == Decimal("120.00")
    assert data.year_to_date_total == Decimal("170.00")  # not 770.00: the euros are not dollars
