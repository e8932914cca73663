"""Amounts on the member's and staff pages: one format everywhere (members.templatetags.money)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from claims.models import StatementRun
from tests.claims.residuals.statement_builders import add_statement, make_issued_pool

pytestmark = pytest.mark.django_db


def test_statement_totals_show_currency_cents_and_thousands_on_the_dashboard_and_statements_page(member_client, member):
    run = StatementRun.objects.create(pool=make_issued_pool())
    add_statement(run, member, total="7125")

    for url in (reverse("claims:dashboard"), reverse("claims:statement_list")):
        page = member_client.get(url).content.decode()
        assert "USD 7,125.00" in page, url
        assert "7125.00" not in page and "USD 7,125<" not in page, url
    assert Decimal("7125") == run.statements.get().total_payable
