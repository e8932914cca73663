"""Speed of the statement PDF, next to WeasyPrint's floor on the same machine.

    .venv/bin/python -m tests.claims.residuals.bench_statements [--lines 40] [--runs 30]

Prints the median time for a one-page "Hello" PDF (WeasyPrint defaults: the floor), the median
time to render a realistic statement (40 lines in three training sets, most titles short, some
long, a few held: two pages), statements per second for one worker process, the ratio to the
floor (target: at most 3x), and where the statement's time goes by stage. Wall-clock medians,
with CPU-time medians beside them, since a busy machine moves wall-clock more than CPU time.
No database: the statement is built as StatementData, which is what the render takes.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import time
from datetime import date
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from pypdf import PdfReader  # noqa: E402

from claims import pdf  # noqa: E402
from claims.enums import AllocationStatus  # noqa: E402
from claims.statement_data import (  # noqa: E402
    StatementData,
    StatementLine,
    TrainingSetSubtotal,
    fingerprint,
    rule_text,
)

SHORT_TITLES = [
    "Night Harbor",
    "Salt Road",
    "The Quiet Tide",
    "Glass Orchard",
    "Kingfisher",
    "Low Country",
    "The Long Winter",
    "Paper Lanterns",
    "Blue Hour",
    "Red Canyon",
    "Iron Bridge",
    "Northbound",
]
LONG_TITLES = [
    "The Extraordinary and Mostly True Adventures of the Harbor Master's Daughter",
    "Chronicles of the Western Shore: Season Two, Episode Nine: The Lighthouse Keeper Returns",
]
ROLES = [
    "Principal performer",
    "Supporting performer",
    "Voice performer",
    "Written by (writer)",
    "Screenplay by (writer)",
    "Director of photography (crew)",
]
SETS = ["OpenSubs 2024", "BookCorpus3 v2", "ScreenScripts 1.1"]


TYPICAL_LINES = 3


def realistic_statement(lines: int = 40, seed: int = 7) -> StatementData:
    rng = random.Random(seed)
    rows = []
    for i in range(lines):
        title = rng.choice(LONG_TITLES) if i % 10 == 3 else f"{rng.choice(SHORT_TITLES)} {i // 12 or ''}".strip()
        # A few works are disputed. Nothing is carried: the threshold carries a member's whole
        # statement or none of it, and these totals are far above it.
        status = AllocationStatus.HELD if i % 13 == 5 else AllocationStatus.PAYABLE
        rows.append(
            StatementLine(
                work_title=title,
                work_year=1990 + rng.randrange(35),
                training_set=SETS[i * len(SETS) // lines],
                category=rng.choice(ROLES),
                basis="an equal share of the works in the pool; your share of the work",
                amount=Decimal(rng.randrange(500, 250000)) / 100,
                status=status,
                work_share=f"1/{rng.randrange(20, 400)}",
                member_share=f"1/{rng.randrange(1, 9)}",
            )
        )
    earned = sum((row.amount for row in rows), Decimal("0.00"))
    held = sum((row.amount for row in rows if row.status == AllocationStatus.HELD), Decimal("0.00"))
    carried = sum((row.amount for row in rows if row.status == AllocationStatus.CARRIED), Decimal("0.00"))
    subtotals = tuple(
        TrainingSetSubtotal(name, sum((r.amount for r in rows if r.training_set == name), Decimal("0")))
        for name in SETS
    )

    return StatementData(
        union_names=("SAG-AFTRA",),
        member_legal_name="Maria Josefina Santos-Lindqvist",
        professional_names=("Maria Santos", "M. J. Santos"),
        member_numbers=("SAG-AFTRA 0451234", "WGA W-22817"),
        postal_address_lines=("1200 Harbor Boulevard", "Apartment 4B", "Los Angeles, CA 90012", "United States"),
        statement_number="ST-2025-H1-000123",
        version=1,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        issue_date=date(2025, 7, 15),
        currency="USD",
        payer="Acme AI",
        lines=tuple(rows),
        subtotals=subtotals,
        earned_total=earned,
        held_total=held,
        carried_forward_total=carried,
        brought_forward_total=Decimal("4.25"),
        total_payable=earned - held - carried + Decimal("4.25"),
        year_to_date_total=earned + Decimal("812.40"),
        rule_description=rule_text(
            rule="equal-works-v1",
            payer="Acme AI",
            currency="USD",
            gross_amount=Decimal("1250000.00"),
            training_sets=SETS,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 6, 30),
            admin_fee_percent=Decimal("5.00"),
            category_weights={"performer": "40", "writer": "40", "crew": "20"},
        ),
    )


def _medians_ms(functions: dict, runs: int) -> dict[str, tuple[float, float]]:
    """Median wall-clock and CPU milliseconds of each function, run in turn: the floor and the
    statements are measured side by side, so a machine that slows down or speeds up during the
    benchmark moves them alike and not their ratio."""
    wall: dict = {name: [] for name in functions}
    cpu: dict = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            function()
            cpu[name].append(time.process_time() - cpu_start)
            wall[name].append(time.perf_counter() - wall_start)
    return {name: (statistics.median(wall[name]) * 1000, statistics.median(cpu[name]) * 1000) for name in functions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    import logging

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    data = realistic_statement(args.lines)
    # Most members have a few works in a pool: the statement the run benchmark renders.
    typical = realistic_statement(TYPICAL_LINES)
    first = pdf.render_statement_pdf(data)  # warm up: fonts and stylesheet are parsed once per process
    pdf.render_hello_pdf()
    pages = len(PdfReader(io.BytesIO(first)).pages)

    medians = _medians_ms(
        {
            "hello": pdf.render_hello_pdf,
            "statement": lambda: pdf.render_statement_pdf(data),
            "typical": lambda: pdf.render_statement_pdf(typical),
        },
        args.runs,
    )
    (hello_wall, hello_cpu), (statement_wall, statement_cpu) = medians["hello"], medians["statement"]
    typical_wall, typical_cpu = medians["typical"]
    print(f"hello PDF (floor)            {hello_wall:7.1f} ms   (CPU {hello_cpu:.1f} ms)")
    print(
        f"statement, {args.lines} lines, {pages} pages  {statement_wall:7.1f} ms   (CPU {statement_cpu:.1f} ms), "
        f"{len(first) / 1024:.0f} KiB"
    )
    print(f"statements per second, one process: {1000 / statement_wall:.1f}")
    print(
        f"ratio to the floor: {statement_wall / hello_wall:.2f}x wall, {statement_cpu / hello_cpu:.2f}x CPU (target 3x)"
    )
    print(
        f"a typical statement, {TYPICAL_LINES} lines, 1 page: {typical_wall:.1f} ms (CPU {typical_cpu:.1f} ms), "
        f"{typical_wall / hello_wall:.2f}x the floor"
    )
    stages, boxes = _stages_ms(data, args.runs)
    print(
        f"where the {args.lines}-line statement's time goes (median CPU ms): "
        + ", ".join(f"{name} {ms:.1f}" for name, ms in stages.items())
        + f"; {boxes} layout boxes"
    )


def _stages_ms(data: StatementData, runs: int) -> tuple[dict[str, float], int]:
    """The render in its stages, as claims/pdf.py runs them in one call: the template; parsing,
    style and layout (WeasyPrint's render); then painting, PDF/UA tags and writing the PDF.
    Layout costs about the same per box (row, cell, line, run of text), whatever the text."""
    renderer = pdf._renderer()
    times: dict[str, list[float]] = {"template": [], "parse, style and layout": [], "paint, tags and PDF": []}
    for _ in range(runs):
        marks = [time.process_time()]
        xhtml = pdf.statement_xhtml(data, fingerprint(data))
        marks.append(time.process_time())
        rendered = renderer.render(xhtml)
        marks.append(time.process_time())
        renderer.write(rendered)
        marks.append(time.process_time())
        for name, start, end in zip(times, marks, marks[1:], strict=False):  # marks has one more entry than times
            times[name].append((end - start) * 1000)
    boxes = sum(1 for page in rendered.pages for _ in page._page_box.descendants())
    return {name: statistics.median(values) for name, values in times.items()}, boxes


if __name__ == "__main__":
    main()
