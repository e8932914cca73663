"""Statement data, the statement PDF, and the public "verify a statement" page.

PDFs are opened with pypdf and checked against the database the way a member would read them:
their name, every line's amount, the total, page X of Y, the CSV inside."""

import io
import logging
import re
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from claims import pdf
from claims.enums import AllocationStatus, ClaimStatus, StatementStatus
from claims.models import AllocationLine, CarriedBalance, Claim, Statement, StatementRun
from claims.selectors.residuals.statement_data import statement_data_for
from claims.statement_data import (
    StatementData,
    StatementLine,
    TrainingSetSubtotal,
    canonical_json,
    fingerprint,
    lines_csv,
)
from members.models import MemberProfile
from tests.claims.residuals.statement_builders import make_issued_pool
from tests.factories import make_claim, make_member, make_training_set, make_union_membership

MALICIOUS = (
    '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/hosts"> '
    '<style>@import url("http://203.0.113.9/x.css");</style>'
)


# ---------------------------------------------------------------- building statements in the DB


def _line(pool, member, *, title, year, training_set, amount, status=AllocationStatus.PAYABLE, job="principal"):
    claim = make_claim(member, title=title, year=year, training_set=training_set, job=job)
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.VERIFIED)
    return AllocationLine.objects.create(
        pool=pool,
        member=member,
        claim=claim,
        work=claim.credit.work,
        training_set=training_set,
        category=claim.credit.category,
        work_share="1/37",
        member_share="1/4",
        basis="1 of 37 works in the pool; 1 of 4 performers on the work",
        amount=Decimal(amount),
        status=status,
    )


def _statement(pool, member, number, **fields) -> Statement:
    run = StatementRun.objects.create(pool=pool)
    return Statement.objects.create(run=run, member=member, number=number, **fields)


@pytest.fixture
def statement(member: MemberProfile):
    """Maria Santos: three lines in two training sets (one held), a balance brought forward,
    one carried out, and an earlier statement this year."""
    member.address_line1, member.city, member.region, member.postal_code = "12 Harbor St", "Los Angeles", "CA", "90012"
    member.save()
    make_union_membership(member, "SAG-AFTRA", number="0451234")
    subs, books = make_training_set(name="OpenSubs 2024"), make_training_set(name="BookCorpus3", media=["books_text"])
    pool = make_issued_pool(training_sets=[subs, books])
    _line(pool, member, title="Night Harbor", year=2019, training_set=subs, amount="123.45")
    _line(pool, member, title="Salt Road", year=2021, training_set=subs, amount="20.05", status=AllocationStatus.HELD)
    _line(pool, member, title="The Quiet Tide", year=2016, training_set=books, amount="1234.50", job="author")
    earlier_pool = make_issued_pool(
        payer="Earlier AI", training_sets=[], period_start=date(2024, 7, 1), period_end=date(2024, 12, 31)
    )
    CarriedBalance.objects.create(member=member, from_pool=earlier_pool, amount=Decimal("4.25"), paid_in_pool=pool)
    _statement(
        earlier_pool,
        member,
        "ST-EARLY-1",
        status=StatementStatus.DONE,
        total_payable=Decimal("50.00"),
        fingerprint="e" * 64,
    )
    return _statement(pool, member, "ST-2025-000001")


def _text(pdf_bytes: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return reader, [page.extract_text() for page in reader.pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------- data


def test_statement_data_reads_lines_balances_and_year_to_date(statement):
    data = statement_data_for(statement)

    assert data.member_legal_name == "Maria Santos"
    assert data.professional_names == ("Maria Santos", "M. J. Santos")
    assert data.member_numbers == ("SAG-AFTRA 0451234",)
    assert data.postal_address_lines[0] == "12 Harbor St"
    assert data.period_start == date(2025, 1, 1) and data.period_end == date(2025, 6, 30)
    assert [(line.work_title, line.amount) for line in data.lines] == [
        ("The Quiet Tide", Decimal("1234.50")),
        ("Night Harbor", Decimal("123.45")),
        ("Salt Road", Decimal("20.05")),
    ]
    assert [line.category for line in data.lines] == ["Author (writer)", "Principal performer", "Principal performer"]
    assert [(s.training_set, s.amount) for s in data.subtotals] == [
        ("BookCorpus3", Decimal("1234.50")),
        ("OpenSubs 2024", Decimal("143.50")),
    ]
    assert data.held_total == Decimal("20.05")
    assert data.brought_forward_total == Decimal("4.25")
    assert data.carried_forward_total == Decimal("0.00")
    assert data.total_payable == Decimal("1234.50") + Decimal("123.45") + Decimal("4.25")
    assert data.year_to_date_total == data.total_payable + Decimal("50.00")
    assert "administration fee of 5%" in data.rule_description


def test_rule_description_says_works_first_then_kinds_in_parts_of_the_whole(member):
    """The words follow the allocation's order (an equal share per work, then the work's share
    between kinds of role), and weights typed as 2 / 2 / 1 read as the parts they are."""
    pool = make_issued_pool(training_sets=[make_training_set(name="OpenSubs 2024")])
    pool.category_weights = {"performer": "2", "writer": "2", "crew": "1"}
    pool.save()

    words = statement_data_for(_statement(pool, member, "ST-RULE")).rule_description

    assert words.index("every work with a verified claim received an equal share") < words.index("kinds of role")
    assert "(performers 40%, writers 40%, crew 20%;" in words
    assert "Acme AI paid USD 100,000.00 for the use of members' work in OpenSubs 2024" in words


def test_statement_data_carried_balance_is_not_payable(member):
    subs = make_training_set()
    pool = make_issued_pool(training_sets=[subs])
    _line(pool, member, title="Tiny Part", year=2020, training_set=subs, amount="3.10", status=AllocationStatus.CARRIED)
    CarriedBalance.objects.create(member=member, from_pool=pool, amount=Decimal("3.10"))

    data = statement_data_for(_statement(pool, member, "ST-SMALL"))

    assert data.carried_forward_total == Decimal("3.10") and data.total_payable == Decimal("0.00")
    text = _flat(" ".join(_text(pdf.render_statement_pdf(data))[1]))
    # The legend explains the statuses this statement has, and only those.
    assert "“Carried”: your total is below the payment threshold" in text
    assert "“Held”" not in text and "Every other line" not in text


def test_fingerprint_is_stable_and_changes_when_an_amount_changes(statement):
    first, again = statement_data_for(statement), statement_data_for(statement)
    assert canonical_json(first) == canonical_json(again)
    assert fingerprint(first) == fingerprint(again) and re.fullmatch(r"[0-9a-f]{64}", fingerprint(first))
    assert b'"amount":"123.45"' in canonical_json(first)

    AllocationLine.objects.filter(work__title="Night Harbor").update(amount=Decimal("123.46"))

    assert fingerprint(statement_data_for(statement)) != fingerprint(first)


def test_lines_csv_has_every_line_and_neutralises_formulas(statement):
    AllocationLine.objects.filter(work__title="Salt Road").update(basis='=HYPERLINK("http://x")')
    rows = lines_csv(statement_data_for(statement)).decode().splitlines()

    assert rows[0].startswith("statement,training set,work,year,role")
    assert len(rows) == 4
    assert any("'=HYPERLINK" in row for row in rows)
    assert rows[1].endswith(",1234.50,USD")


# ---------------------------------------------------------------- the PDF


def test_statement_pdf_shows_member_every_amount_and_total(statement):
    data = statement_data_for(statement)
    reader, pages = _text(pdf.render_statement_pdf(data))
    text = _flat(" ".join(pages))

    assert "Maria Santos" in text and "M. J. Santos" in text and "SAG-AFTRA 0451234" in text
    assert "12 Harbor St" in text
    assert "Statement ST-2025-000001" in text
    assert "1 January 2025 to 30 June 2025" in text
    for line in AllocationLine.objects.filter(member=statement.member, pool=statement.run.pool):
        assert f"{line.amount:,.2f}" in text, line.work.title
        assert line.work.title in text
    assert data.total_payable == Decimal("1362.20") and "Total payable USD 1,362.20" in text
    assert f"USD {data.year_to_date_total:,.2f}" in text
    assert "Held 20.05" in text
    # The summary's adjustments carry their sign; one with nothing to adjust is a plain 0.00.
    assert "disputed \u221220.05" in text and "paid later 0.00" in text and "paid now +4.25" in text
    assert fingerprint(data) in text.replace(" ", "")
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "“Held”: claims on the work are disputed" in text and "Every other line is paid now." in text
    assert "“Carried”" not in text
    # How to question a line: what the member can really do, with this statement's number.
    assert "write to your union quoting statement ST-2025-000001 and the line" in text
    assert f"sign in at {settings.PORTAL_BASE_URL} and claim it" in text


def test_statement_pdf_attaches_the_same_lines_as_csv(statement):
    data = statement_data_for(statement)
    reader = PdfReader(io.BytesIO(pdf.render_statement_pdf(data)))

    assert reader.attachments == {"statement-ST-2025-000001.csv": [lines_csv(data)]}


def test_statement_pdf_is_tagged_and_embeds_our_fonts(statement):
    reader = PdfReader(io.BytesIO(pdf.render_statement_pdf(statement_data_for(statement))))
    root = reader.trailer["/Root"]

    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # the font program is in the file
            fonts.add(str(descriptor["/FontName"]).split("+")[-1])
    assert fonts == {"Statement-Sans", "Statement-Sans-Bold"}  # our @font-face files, not system fonts


def _tagged_tables(reader: PdfReader) -> list[list[list[tuple[str, str, list[str]]]]]:
    """Each table in the PDF's structure tree: its rows, each a list of (TH or TD, ID, Headers)."""

    def kids(element):
        k = element.get("/K", [])
        return [kid.get_object() for kid in (k if isinstance(k, list) else [k]) if hasattr(kid.get_object(), "get")]

    def rows(element):
        for kid in kids(element):
            if kid["/S"] == "/TR":
                yield [
                    (cell["/S"][1:], str(cell.get("/ID", "")), [str(h) for h in cell.get("/A", {}).get("/Headers", [])])
                    for cell in kids(kid)
                ]
            elif kid["/S"] in ("/THead", "/TBody", "/TFoot"):
                yield from rows(kid)

    def tables(element):
        for kid in kids(element):
            yield from [list(rows(kid))] if kid["/S"] == "/Table" else tables(kid)

    return list(tables(reader.trailer["/Root"]["/StructTreeRoot"].get_object()))


def test_statement_pdf_tags_each_cell_with_its_own_headers(statement):
    """A screen reader announces a cell's headers: a title is under "Work", an amount under "Amount",
    and a set's subtotal under that set's name, never another set's."""
    reader, _ = _text(pdf.render_statement_pdf(statement_data_for(statement)))

    summary, lines = _tagged_tables(reader)  # the member and statement details beside each other are not a table
    assert [[cell[0] for cell in row] for row in summary] == [["TH", "TD"]] * 6
    assert [cell[0] for cell in lines[0]] == ["TH", "TH"]
    (_, work_id, _), (_, amount_id, _) = lines[0]
    set_rows = [row for row in lines[1:] if row[0][0] == "TH"]
    assert len(set_rows) == 2  # BookCorpus3 and OpenSubs 2024
    for (_, set_id, _), (_, _, subtotal_headers) in set_rows:
        assert subtotal_headers == [set_id, amount_id]
    line_rows = [row for row in lines[1:] if row[0][0] == "TD"]
    assert len(line_rows) == 3
    for (_, _, title_headers), (_, _, amount_headers) in line_rows:
        assert title_headers == [work_id] and amount_headers == [amount_id]


def test_statement_pdf_paginates_hundreds_of_lines_with_the_header_on_every_page():
    lines = tuple(
        StatementLine(
            work_title=f"Work number {i}",
            work_year=2000 + i % 25,
            training_set=f"Set {i // 150}",
            category="Principal performer",
            basis="",
            amount=Decimal(i) + Decimal("0.01"),
            status=AllocationStatus.PAYABLE,
            work_share="1/300",
            member_share="1/2",
        )
        for i in range(300)
    )
    subtotals = tuple(
        TrainingSetSubtotal(name, sum(line.amount for line in lines if line.training_set == name))
        for name in ("Set 0", "Set 1")
    )
    data = _data(lines=lines, subtotals=subtotals)

    _reader, pages = _text(pdf.render_statement_pdf(data))

    assert len(pages) >= 6
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in _flat(page)
        if "Work number" in page:
            assert "Work (year) · role · work's share × yours Amount (USD)" in _flat(page), number
    text = _flat(" ".join(pages))
    assert all(f"Work number {i} (" in text for i in range(300))
    assert "Set 0 Subtotal 11,176.50" in text and "Set 1 Subtotal 33,676.50" in text


# ---------------------------------------------------------------- nothing is fetched or read


def _data(**changes) -> StatementData:
    line = StatementLine(
        work_title="Night Harbor",
        work_year=2019,
        training_set="OpenSubs 2024",
        category="Principal performer",
        basis="",
        amount=Decimal("12.34"),
        status="payable",
        work_share="1/37",
        member_share="1/4",
    )
    base = StatementData(
        union_names=("SAG-AFTRA",),
        member_legal_name="Maria Santos",
        professional_names=(),
        member_numbers=("SAG-AFTRA 1",),
        postal_address_lines=("1 Main St",),
        statement_number="ST-T-1",
        version=1,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        issue_date=date(2025, 7, 15),
        currency="USD",
        payer="Acme AI",
        lines=(line,),
        subtotals=(),
        earned_total=Decimal("12.34"),
        held_total=Decimal("0.00"),
        carried_forward_total=Decimal("0.00"),
        brought_forward_total=Decimal("0.00"),
        total_payable=Decimal("12.34"),
        year_to_date_total=Decimal("12.34"),
        rule_description="Shared equally.",
    )
    return replace(base, **changes)


class _Recorder:
    """Python's audit events: every file opened, URL requested or socket connected while active."""

    events: list = []
    active = False
    installed = False

    @classmethod
    def hook(cls, event, args):
        if cls.active and event in {"open", "urllib.Request", "socket.connect", "socket.getaddrinfo"}:
            cls.events.append((event, str(args[0])))

    def __enter__(self):
        if not _Recorder.installed:
            sys.addaudithook(_Recorder.hook)
            _Recorder.installed = True
        _Recorder.events = []
        _Recorder.active = True
        return _Recorder.events

    def __exit__(self, *exc):
        _Recorder.active = False


def test_statement_pdf_prints_markup_in_titles_and_names_as_text_and_fetches_nothing(caplog):
    line = StatementLine(
        work_title=f"Night {MALICIOUS} Harbor",
        work_year=2019,
        training_set=f"Set {MALICIOUS}",
        category="Principal performer",
        basis="",
        amount=Decimal("12.34"),
        status="payable",
        work_share="1/37",
        member_share="1/4",
    )
    data = _data(member_legal_name=f"Maria {MALICIOUS}", professional_names=(MALICIOUS,), lines=(line,))
    pdf.render_statement_pdf(_data())  # warm up: our fonts and logo are read once per process

    with caplog.at_level(logging.WARNING, logger="weasyprint"), _Recorder() as events:
        output = pdf.render_statement_pdf(data)

    assert events == []  # no file opened, no URL requested, no connection made
    reader, pages = _text(output)
    text = _flat(" ".join(pages))
    assert '<img src="file:///etc/passwd">' in text
    assert '<link rel="attachment" href="file:///etc/hosts">' in text
    assert '@import url("http://203.0.113.9/x.css");' in text
    assert "root:" not in text and "localhost" not in text
    assert list(reader.attachments) == ["statement-ST-T-1.csv"]
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_pdf_fetcher_refuses_everything_but_our_static_files(caplog):
    """Defence in depth: even markup that reached WeasyPrint unescaped could not read or fetch anything."""
    raw = (
        '<html lang="en"><head><title>t</title><link rel="stylesheet" href="http://203.0.113.9/a.css"/>'
        '<link rel="attachment" href="file:///etc/hosts"/><style>@import url("https://203.0.113.9/b.css");</style>'
        '</head><body><img src="file:///etc/passwd"/><img src="../../../../etc/passwd"/>'
        '<img src="portal-static:../settings.py"/><img src="portal-static:img/union-logo.svg"/>'
        '<img src="data:image/svg+xml,&lt;svg xmlns=%22http://www.w3.org/2000/svg%22/>"/><p>Hi</p></body></html>'
    )
    pdf.render_statement_pdf(_data())

    # (At DEBUG, logging would read WeasyPrint's own source to format tracebacks.)
    with caplog.at_level(logging.ERROR, logger="weasyprint"), _Recorder() as events:
        output = pdf._renderer().write_pdf(raw)

    assert events == []
    refused = " ".join(record.getMessage() for record in caplog.records)
    for url in [
        "file:///etc/passwd",
        "file:///etc/hosts",
        "http://203.0.113.9/a.css",
        "https://203.0.113.9/b.css",
        "portal-static:../settings.py",
        "data:image/svg+xml",
    ]:
        assert url in refused
    reader = PdfReader(io.BytesIO(output))
    assert reader.attachments == {}
    with pytest.raises(ValueError, match="only our own static files"):
        pdf.StaticOnlyFetcher().fetch("file:///etc/passwd")
    assert pdf.StaticOnlyFetcher().fetch("portal-static:img/union-logo.svg").read().startswith(b"<svg")


def test_hello_pdf_is_one_page():
    assert len(PdfReader(io.BytesIO(pdf.render_hello_pdf())).pages) == 1


# ---------------------------------------------------------------- verify a statement (public)


@pytest.fixture
def issued(statement):
    data = statement_data_for(statement)
    Statement.objects.filter(pk=statement.pk).update(
        status=StatementStatus.DONE, fingerprint=fingerprint(data), total_payable=data.total_payable
    )
    statement.refresh_from_db()
    return statement


def test_verify_statement_valid_shows_only_period_and_total(client, issued):
    response = client.get(
        reverse("claims:statement_verify"), {"number": issued.number, "fingerprint": issued.fingerprint.upper()}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Valid: this is a genuine statement" in body
    assert "1 January 2025 to 30 June 2025" in body and "USD 1,362.20" in body
    assert "Maria" not in body and "Santos" not in body and "Night Harbor" not in body


def test_verify_statement_wrong_fingerprint_or_unfinished_statement_is_invalid(client, issued, member):
    url = reverse("claims:statement_verify")
    wrong = client.get(url, {"number": issued.number, "fingerprint": "0" * 64}).content.decode()
    assert "Not valid" in wrong and "1,362.20" not in wrong

    pending = _statement(issued.run.pool, make_member(), "ST-PENDING", fingerprint="a" * 64)
    body = client.get(url, {"number": pending.number, "fingerprint": "a" * 64}).content.decode()
    assert "Not valid" in body

    unknown = client.get(url, {"number": "ST-NOPE", "fingerprint": issued.fingerprint}).content.decode()
    assert "Not valid" in unknown


def test_verify_statement_form_without_query_shows_no_result(client, db):
    body = client.get(reverse("claims:statement_verify")).content.decode()
    assert "Statement number" in body and "Valid" not in body and "Not valid" not in body


def test_verify_statement_is_rate_limited_per_address(client, issued):
    url = reverse("claims:statement_verify")
    query = {"number": issued.number, "fingerprint": issued.fingerprint}
    for _ in range(20):
        assert client.get(url, query).status_code == 200

    blocked = client.get(url, query)

    assert blocked.status_code == 429
    assert "Too many checks" in blocked.content.decode() and "1,362.20" not in blocked.content.decode()
    other_address = client.get(url, query, REMOTE_ADDR="198.51.100.7")
    assert other_address.status_code == 200


# ---------------------------------------------------------------- our user-agent stylesheet


def test_the_statement_uses_only_elements_our_user_agent_stylesheet_styles():
    """claims/pdf.py replaces WeasyPrint's HTML defaults with static/pdf/statement-ua.css. An element
    added to the template without a default there would lose its display (a <ul> would run inline)."""
    import weasyprint
    from django.template.loader import get_template

    assert "_ua_stylesheets" in vars(weasyprint.HTML)  # the hook we override is still WeasyPrint's
    data = _data(professional_names=("Maria Santos",), member_numbers=("SAG-AFTRA 1",))
    html = get_template("pdf/statement.html").render(pdf._context(data, fingerprint(data)))
    styled = (pdf.STATIC_DIR / pdf.UA_STYLESHEET).read_text()
    inline_by_default = {"span", "strong", "img"}  # CSS's initial display is inline
    tags = set(re.findall(r"<([a-z][a-z0-9]*)", html)) - {"html"} - inline_by_default
    assert tags and all(re.search(rf"(^|[\s,]){tag}([\s,{{:]|$)", styled, re.M) for tag in tags), tags


# ---------------------------------------------------------------- our parser


def _same_tree(a, b) -> bool:
    return (
        (a.tag, dict(a.attrib), a.text or "", a.tail or "") == (b.tag, dict(b.attrib), b.text or "", b.tail or "")
        and len(a) == len(b)
        and all(_same_tree(x, y) for x, y in zip(a, b, strict=True))
    )


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {
            "professional_names": ("Maria Santos", "M. J. Santos"),
            "member_numbers": ("SAG-AFTRA 1", "WGA W-2"),
            "version": 2,
            "postal_address_lines": ("1 Main St", "Apt 4", "Los Angeles, CA 90012"),
        },
        {"lines": (), "subtotals": (), "member_legal_name": f"Maria {MALICIOUS} & <Co>"},
    ],
)
def test_statement_xhtml_parses_to_the_tree_weasyprints_html_parser_builds(changes):
    """claims/pdf.py parses the statement template with expat instead of WeasyPrint's tinyhtml5: both
    must see the same document, or the PDF would differ from what the template says."""
    import tinyhtml5
    from weasyprint import HTML

    data = _data(**changes)
    xhtml = pdf.statement_xhtml(data, fingerprint(data))
    ours = pdf._StatementHTML(xhtml, url_fetcher=pdf.StaticOnlyFetcher(), ua_stylesheet=None)

    assert _same_tree(ours.etree_element, tinyhtml5.parse(xhtml, namespace_html_elements=False))
    # It sets what WeasyPrint's own constructor sets, to the same values for a string without a base URL.
    theirs = HTML(string=xhtml, url_fetcher=ours.url_fetcher)
    assert set(vars(theirs)) == set(vars(ours)) - {"ua_stylesheet"}
    assert (theirs.base_url, theirs.media_type) == (ours.base_url, ours.media_type)


def test_statement_pdf_leaves_out_control_characters_xml_does_not_allow():
    line = StatementLine(
        work_title="Night\x0bHarbor\x00",
        work_year=2019,
        training_set="Set\x1f 1",
        category="Principal performer",
        basis="",
        amount=Decimal("12.34"),
        status="payable",
        work_share="1/37",
        member_share="1/4",
    )

    _reader, pages = _text(pdf.render_statement_pdf(_data(member_legal_name="Maria\x08 Santos", lines=(line,))))

    text = _flat(" ".join(pages))
    assert "NightHarbor (2019)" in text and "Set 1" in text and "Maria Santos" in text and "12.34" in text
