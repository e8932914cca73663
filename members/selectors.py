"""Reads of member data that views and other apps share."""

from django.db.models import Count, Prefetch, Q, QuerySet

from members.models import Credit, MemberProfile, Membership, Work
from members.titles import title_key


def member_credits(*, member: MemberProfile) -> QuerySet[Credit]:
    return member.credits.select_related("work").order_by("-work__year", "work__title", "job")


def member_memberships(*, member: MemberProfile) -> QuerySet[Membership]:
    return member.memberships.select_related("union", "union__parent")


def work_search(*, query: str, limit: int = 10) -> list[Work]:
    """Works whose title (or alternate title, or identifier) matches what a member is typing.

    Most-credited works come first: the one most people mean is usually the
    one already registered by colleagues.
    """
    query = query.strip()
    key = title_key(query)
    if len(key) < 2 and not query.lower().startswith("tt"):
        return []
    condition = Q(title_key__contains=key) | Q(series_title__icontains=query) | Q(alternate_titles__icontains=query)
    if query.lower().startswith("tt"):
        condition |= Q(imdb_id=query.lower())
    return list(
        Work.objects.filter(condition)
        .annotate(credit_count=Count("credits"))
        .order_by("-credit_count", "title", "-year")[:limit]
    )


def staff_member_search(*, query: str) -> QuerySet[MemberProfile]:
    """Members by legal or professional name, email or member number; all members when empty."""
    members = (
        MemberProfile.objects.select_related("user")
        .prefetch_related(
            "professional_names", Prefetch("memberships", queryset=Membership.objects.select_related("union"))
        )
        .annotate(credit_count=Count("credits", distinct=True))
    )
    query = query.strip()
    if query:
        members = members.filter(
            Q(legal_name__icontains=query)
            | Q(professional_names__name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(memberships__member_number__iexact=query)
        ).distinct()
    return members.order_by("legal_name", "user__email")
