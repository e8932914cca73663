"""A member's credits as CSV, in the import's columns, so an export re-imports cleanly."""

from typing import IO

from django.utils import timezone

from members.models import Credit, MemberProfile
from members.services.credit_import import COLUMNS
from portal.spreadsheets import csv_writer


def credit_export_filename(*, member: MemberProfile) -> str:
    """Chosen by us, never from user input, so it is always a safe header value."""
    return f"my-credits-{timezone.localdate():%Y-%m-%d}.csv"


def credit_export_csv(*, member: MemberProfile, out: IO[str]) -> int:
    """Write the member's credits to `out` (with a BOM, so Excel reads the accents). Returns the row count.

    Every cell is guarded against spreadsheet formulas (portal.spreadsheets); the import removes the quote again.
    """
    membership = member.memberships.select_related("union").first()
    union = membership.union.short_name if membership else ""
    member_number = membership.member_number if membership else ""
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    credits = Credit.objects.filter(member=member).select_related("work").order_by("work__year", "work__title", "pk")
    count = 0
    for credit in credits.iterator(chunk_size=2_000):
        work = credit.work
        identifiers = work.identifiers
        row = {
            "email": member.user.email,
            "name": member.legal_name,
            "union": union,
            "title": work.title,
            "year": work.year,
            "work_type": work.get_work_type_display(),
            "job": credit.get_job_display(),
            "identifier": identifiers[0][1] if identifiers else "",
            "character": credit.credited_as,
            "member_number": member_number,
        }
        writer.writerow([row[column] for column in COLUMNS])
        count += 1
    return count
