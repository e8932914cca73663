"""The pure half of statement data: roles, the rule in words, subtotals and money, from plain values.

No database: `claims.statement_data` imports no models (the reading is
`claims.selectors.residuals.statement_data`, tested with the PDF in test_statement_pdf.py).
"""

from datetime import date
from decimal import Decimal

from claims.statement_data import StatementLine, money, role_text, rule_text, subtotals

TERMS = {
    "payer": "Acme AI",
    "currency": "USD",
    "gross_amount": Decimal("100000"),
    "training_sets": ["OpenSubs 2024", "BookCorpus3"],
    "period_start": date(2025, 1, 1),
    "period_end": date(2025, 6, 30),
    "admin_fee_percent": Decimal("5.00"),
    "category_weights": {"performer": "40", "writer": "40", "crew": "20"},
}


def line(training_set: str, amount: str) -> StatementLine:
    return StatementLine(
        work_title="Night Harbor",
        work_year=2019,
        training_set=training_set,
        category="Principal performer",
        basis="",
        amount=Decimal(amount),
        status="payable",
    )


def test_role_names_the_kind_of_work_only_when_the_job_does_not():
    assert role_text(category="performer", job="principal") == "Principal performer"
    assert role_text(category="writer", job="written_by") == "Written by (writer)"
    assert role_text(category="crew", job="") == "Crew"
    assert role_text(category="crew", job="Best boy") == "Best boy (crew)"  # a job typed by hand


def test_rule_text_states_the_terms_the_pool_was_shared_by():
    words = rule_text(rule="equal-works-v1", **TERMS)
    assert words.startswith(
        "Acme AI paid USD 100,000.00 for the use of members' work in OpenSubs 2024, BookCorpus3 "
        "from 1 January 2025 to 30 June 2025. After the union's administration fee of 5%,"
    )
    assert "(performers 40%, writers 40%, crew 20%;" in words


def test_rule_text_of_an_unknown_rule_still_names_it_and_the_terms():
    words = rule_text(rule="by-minutes-v2", **{**TERMS, "training_sets": [], "category_weights": {}})
    assert 'shared among verified claims by rule "by-minutes-v2"' in words
    assert "in the listed training sets from 1 January 2025" in words


def test_subtotals_add_up_each_training_set_in_alphabetical_order():
    lines = [line("OpenSubs", "10.05"), line("BookCorpus", "1.00"), line("OpenSubs", "0.95")]
    assert [(s.training_set, s.amount) for s in subtotals(lines)] == [
        ("BookCorpus", Decimal("1.00")),
        ("OpenSubs", Decimal("11.00")),
    ]


def test_money_is_to_the_cent_and_an_empty_sum_is_zero():
    assert money(None) == Decimal("0.00") and str(money(None)) == "0.00"
    assert str(money(Decimal("4.5"))) == "4.50" and str(money(7)) == "7.00"
