"""CSV export of the verifier's queue, filtered and sorted as on screen.

Members write titles, statements and names, so whoever writes these rows as CSV guards every cell
against spreadsheet formulas (portal.web.csv_download does).
"""

from collections.abc import Iterator, Sequence

from claims.selectors.claims.verification import QueueFilters, verification_queue
from members.models import User

CLAIM_EXPORT_HEADER = [
    "claim",
    "status",
    "member",
    "member email",
    "unions",
    "work",
    "year",
    "job",
    "training set",
    "declared share",
    "best score",
    "match method",
    "evidence files",
    "conflict",
    "submitted",
    "decided",
    "assigned to",
]


def claim_export_rows(*, user: User, filters: QueueFilters) -> Iterator[Sequence[object]]:
    """Header, then one row per claim in the queue this staff user sees with these filters."""
    yield CLAIM_EXPORT_HEADER
    for claim in verification_queue(user=user, filters=filters).iterator(chunk_size=1000):
        yield [
            claim.number,
            claim.get_status_display(),
            claim.member.display_name,
            claim.member.user.email,
            " ".join(str(membership.union) for membership in claim.member.memberships.all()),
            claim.credit.work.display_title,
            claim.credit.work.year,
            claim.credit.get_job_display(),
            claim.training_set,
            claim.declared_share if claim.declared_share is not None else "",
            claim.best_score if claim.best_score is not None else "",
            claim.get_best_method_display(),
            claim.evidence_count,
            "yes" if claim.has_conflict else "no",
            claim.submitted_at.isoformat(timespec="minutes") if claim.submitted_at else "",
            claim.decided_at.isoformat(timespec="minutes") if claim.decided_at else "",
            claim.assigned_to.email if claim.assigned_to else "",
        ]
