"""The formula guard: a cell a spreadsheet would run is written as text, everything else as it is."""

import csv
import io
from decimal import Decimal

import pytest

from portal.spreadsheets import FORMULA_LEADS, csv_writer, neutralise


def test_formula_leads_are_the_six_characters_spreadsheets_run():
    assert set(FORMULA_LEADS) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://evil.example")', "+1 555 0100", "-30-", "@SUM(A1)", "\tTabbed", "\rReturn"]
)
def test_neutralise_puts_a_quote_before_a_formula(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    "value, written",
    [("Night Harbor", "Night Harbor"), ("a=b", "a=b"), (2019, "2019"), (Decimal("1.50"), "1.50"), (None, "")],
)
def test_neutralise_leaves_other_cells_as_text(value, written):
    assert neutralise(value) == written


def test_neutralise_quotes_a_negative_amount_too():
    # "-1+2" is a formula; the guard cannot tell it from "-1.50", so a negative amount is shown as text.
    assert neutralise(Decimal("-1.50")) == "'-1.50"


def test_neutralise_twice_is_neutralise_once():
    assert neutralise(neutralise("=1+1")) == "'=1+1"


def test_csv_writer_guards_every_cell_and_ends_lines_in_crlf():
    out = io.StringIO()
    csv_writer(out).writerows([["title", "year"], ["=cmd|' /C calc'!A0", 2001], ["Quiet, Shore", None]])

    assert out.getvalue().endswith("\r\n") and out.getvalue().count("\r\n") == 3
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["title", "year"],
        ["'=cmd|' /C calc'!A0", "2001"],
        ["Quiet, Shore", ""],
    ]
