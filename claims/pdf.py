"""Residual statements as PDF bytes (WeasyPrint). Nothing else: no database, no files written.

Safety: the XHTML comes from a Django template with autoescaping, so names and titles (which
come from members and from AI developers' manifests) are text, never markup, and cannot declare
an entity for the XML parser to expand. Behind that,
WeasyPrint gets no base URL and a fetcher that serves only the fixed list of files below from
our static/ folder through the `portal-static:` scheme; file:, http(s):, data: and everything
else is refused, so neither content nor a mistake in the template can read the filesystem or
the network. The only attachment is the CSV we pass in.

Speed: the stylesheet and its fonts are parsed once per thread and reused; tables use fixed
layout with set column widths (see static/pdf/statement.css). The template is well-formed XHTML,
read by the standard library's C XML parser (expat) in about 0.2 ms rather than by WeasyPrint's
pure-Python HTML5 parser (about 5 ms, a twentieth of a statement's render).
"""

import re
import threading
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import cssselect2
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from weasyprint import CSS, HTML, Attachment
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from claims.enums import AllocationStatus
from claims.statement_data import StatementData, fingerprint, lines_csv
from members.templatetags.money import money_text

SCHEME = "portal-static"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
# Everything a statement may load, by the path after "portal-static:".
ALLOWED_FILES = {
    "fonts/DejaVuSans.ttf": "font/ttf",
    "fonts/DejaVuSans-Bold.ttf": "font/ttf",
    "img/union-logo.svg": "image/svg+xml",
}
STYLESHEET = "pdf/statement.css"
# Replaces WeasyPrint's HTML user-agent stylesheet for statements: the default styles of the few
# elements our template uses. The full one is cascaded onto every element of every statement,
# about a tenth of the render time.
UA_STYLESHEET = "pdf/statement-ua.css"
PDF_OPTIONS = {
    # PDF/UA-1 turns on tagging (structure tree, MarkInfo) and writes the UA metadata.
    "pdf_variant": "pdf/ua-1",
}
# Printed before the amount; paid lines, most of them, show the amount alone.
STATUS_SHORT: dict[str, str] = {
    AllocationStatus.PAYABLE: "",
    AllocationStatus.HELD: "Held ",
    AllocationStatus.CARRIED: "Carried ",
}
# Under the lines, for the statuses a statement has: a member reads only what applies to them.
STATUS_LEGEND = {
    AllocationStatus.HELD: "“Held”: claims on the work are disputed; paid when that is settled.",
    AllocationStatus.CARRIED: "“Carried”: your total is below the payment threshold; added to your next statement.",
}


# WeasyPrint is untyped, so its classes are Any to mypy; plugging into it means subclassing them.
class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Deny by default: serve the files in ALLOWED_FILES and raise for any other URL.

    WeasyPrint catches the error, logs it and leaves the resource out."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={SCHEME}, allow_redirects=False)
        self._files: dict[str, bytes] = {}

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        name = parts.path
        if parts.scheme != SCHEME or parts.netloc or parts.query or parts.fragment or name not in ALLOWED_FILES:
            raise ValueError(f"Statement PDFs may load only our own static files, not {url[:200]!r}")
        if name not in self._files:
            self._files[name] = (STATIC_DIR / name).read_bytes()
        return URLFetcherResponse(url, body=self._files[name], headers={"Content-Type": ALLOWED_FILES[name]})


# Characters XML 1.0 does not allow. An HTML parser would keep them; they are invisible in print.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _StatementHTML(HTML):  # type: ignore[misc]  # WeasyPrint's HTML: untyped, see StaticOnlyFetcher
    """A statement's XHTML, parsed by expat and cascaded with our user-agent stylesheet instead of WeasyPrint's.

    `__init__` sets what HTML.__init__ sets for a string with no base URL, from expat's tree instead of
    tinyhtml5's; `_ua_stylesheets` is WeasyPrint's own hook for the user-agent stylesheet (its own test
    suite's FakeHTML swaps in a lighter one the same way). weasyprint is pinned, and
    tests/claims/residuals/test_statement_pdf.py checks both trees and both hooks still match."""

    def __init__(self, xhtml: str, *, url_fetcher: URLFetcher, ua_stylesheet: CSS) -> None:
        root = ElementTree.fromstring(_NOT_XML.sub("", xhtml))
        self.base_url = None
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element
        self.ua_stylesheet = ua_stylesheet

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [self.ua_stylesheet]


class _Renderer:
    """A font configuration, the parsed stylesheet and an image cache, reused for every statement
    a thread renders (one per thread: WeasyPrint's Pango objects are not meant to be shared)."""

    def __init__(self) -> None:
        self.fetcher = StaticOnlyFetcher()
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(
            string=(STATIC_DIR / STYLESHEET).read_text(), font_config=self.font_config, url_fetcher=self.fetcher
        )
        self.ua_stylesheet = CSS(string=(STATIC_DIR / UA_STYLESHEET).read_text(), url_fetcher=self.fetcher)
        self.image_cache: dict[str, Any] = {}

    def render(self, xhtml: str) -> Document:
        """The statement parsed, styled and laid out: WeasyPrint's Document, not yet a PDF."""
        document = _StatementHTML(xhtml, url_fetcher=self.fetcher, ua_stylesheet=self.ua_stylesheet)
        return document.render(
            stylesheets=[self.stylesheet], font_config=self.font_config, cache=self.image_cache, **PDF_OPTIONS
        )

    @staticmethod
    def write(rendered: Document, *, attachments: Iterable[Attachment] = ()) -> bytes:
        # The options again: Document.write_pdf starts from WeasyPrint's defaults, and the variant
        # is what turns on the tags.
        pdf: bytes = rendered.write_pdf(attachments=list(attachments), **PDF_OPTIONS)
        return pdf

    def write_pdf(self, xhtml: str, *, attachments: Iterable[Attachment] = ()) -> bytes:
        return self.write(self.render(xhtml), attachments=attachments)


_per_thread = threading.local()


def _renderer() -> _Renderer:
    renderer = getattr(_per_thread, "renderer", None)
    if renderer is None:
        renderer = _per_thread.renderer = _Renderer()
    return renderer


def _signed(sign: str, value: Decimal) -> str:
    """A summary adjustment with its sign; nothing to adjust prints as a plain 0.00, not "\u22120.00"."""
    return f"{sign}{money_text(value)}" if value else money_text(value)


def _legend(data: StatementData) -> str:
    statuses = {line.status for line in data.lines}
    words = [text for status, text in STATUS_LEGEND.items() if status in statuses]
    if words and AllocationStatus.PAYABLE in statuses:
        words.append("Every other line is paid now.")
    return " ".join(words)


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _context(data: StatementData, data_fingerprint: str) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    for line in data.lines:
        group = groups.setdefault(line.training_set, {"name": line.training_set, "rows": []})
        # No-break spaces: "1/153 × 1/6" stays on one line.
        shares = f"{line.work_share}\u00a0×\u00a0{line.member_share}" if line.work_share and line.member_share else ""
        group["rows"].append(
            {
                "title": line.work_title,
                "year": line.work_year,
                "role": line.category,
                "basis": shares or line.basis,
                "status": STATUS_SHORT.get(line.status, f"{line.status} "),
                "amount": money_text(line.amount),
            }
        )
    for subtotal in data.subtotals:
        if subtotal.training_set in groups:
            groups[subtotal.training_set]["subtotal"] = money_text(subtotal.amount)
    return {
        "d": data,
        "union": " · ".join(data.union_names) or "Your union",
        "address": "\n".join(data.postal_address_lines),  # its paragraph keeps newlines as line breaks
        "period": f"{_day(data.period_start)} to {_day(data.period_end)}",
        "issued": _day(data.issue_date),
        "groups": list(groups.values()),
        "line_count": len(data.lines),
        "legend": _legend(data),
        "earned": money_text(data.earned_total),
        "held": _signed("\u2212", data.held_total),
        "carried": _signed("\u2212", data.carried_forward_total),
        "brought": _signed("+", data.brought_forward_total),
        "total": money_text(data.total_payable),
        "ytd": money_text(data.year_to_date_total),
        "portal_url": settings.PORTAL_BASE_URL,
        "verify_url": settings.PORTAL_BASE_URL + reverse("claims:statement_verify"),
        "fingerprint": data_fingerprint,
    }


def statement_xhtml(data: StatementData, data_fingerprint: str) -> str:
    # Stripped: an HTML parser would move the file's last newline into <body>, and the tests hold
    # expat's tree to tinyhtml5's.
    return get_template("pdf/statement.html").render(_context(data, data_fingerprint)).strip()


def render_statement_pdf(data: StatementData, *, data_fingerprint: str | None = None) -> bytes:
    """The statement as a tagged PDF with embedded fonts and its lines attached as CSV.

    `data_fingerprint` is fingerprint(data), for a caller that stores it too (computed if not given)."""
    xhtml = statement_xhtml(data, data_fingerprint or fingerprint(data))
    issued = datetime.combine(data.issue_date, time(12))
    csv = Attachment(
        string=lines_csv(data),
        name=f"statement-{data.statement_number}.csv",
        description=f"Lines of statement {data.statement_number} (CSV)",
        created=issued,
        modified=issued,
        relationship="Data",
        url_fetcher=_renderer().fetcher,
    )
    return _renderer().write_pdf(xhtml, attachments=[csv])


def render_hello_pdf() -> bytes:
    """A one-page "Hello" with WeasyPrint's defaults: the floor the statement benchmark compares to."""
    pdf: bytes = HTML(string="<p>Hello</p>").write_pdf()
    return pdf
