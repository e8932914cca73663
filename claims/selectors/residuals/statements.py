"""Reads of residual statements: a member's own, and those staff may see (members of the unions they verify)."""

from django.db.models import Exists, OuterRef, QuerySet

from claims.enums import StatementStatus
from claims.models import Statement, StatementRun
from claims.rules import verifier_union_ids
from members.models import MemberProfile, Membership, User


def member_statements(*, member: MemberProfile) -> QuerySet[Statement]:
    """The member's current, ready statements, newest period first (superseded versions are for staff)."""
    return (
        Statement.objects.filter(member=member, status=StatementStatus.DONE)
        .select_related("run__pool")
        .order_by("-run__pool__period_end", "-run__started_at", "-version")
    )


def statements_visible_to_staff(*, user: User) -> QuerySet[Statement]:
    """Statements of members in the unions this staff member verifies (with their locals); a superuser sees all."""
    statements = Statement.objects.all()
    if user.is_superuser:
        return statements
    in_unions = Membership.objects.filter(member_id=OuterRef("member_id"), union_id__in=verifier_union_ids(user))
    return statements.filter(Exists(in_unions))


def run_statements_for_staff(*, user: User, run: StatementRun, status: str | None = None) -> QuerySet[Statement]:
    statements = statements_visible_to_staff(user=user).filter(run=run)
    if status:
        statements = statements.filter(status=status)
    return (
        statements.select_related("member__user")
        .prefetch_related("member__professional_names")
        .order_by("member__legal_name", "member_id", "-version")
    )
