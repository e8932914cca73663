"""Member profiles: creation, updates and professional names."""

from typing import Any

from django.db import transaction

from members.models import MemberProfile, ProfessionalName, User
from members.signals import credits_changed


def profile_ensure(*, user: User) -> MemberProfile:
    """Return the user's profile, creating an empty one the first time."""
    profile, _ = MemberProfile.objects.get_or_create(user=user)
    return profile


def parse_professional_names(text: str) -> list[str]:
    """One name per line; blank lines and repeats (ignoring case) are dropped, order kept."""
    seen: set[str] = set()
    names = []
    for line in text.splitlines():
        name = " ".join(line.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


@transaction.atomic
def profile_set_professional_names(*, profile: MemberProfile, names: list[str]) -> None:
    """Replace the member's professional names with `names`, in that order."""
    before = list(profile.professional_names.order_by("position").values_list("name", flat=True))
    profile.professional_names.all().delete()
    ProfessionalName.objects.bulk_create(
        ProfessionalName(profile=profile, name=name, position=position) for position, name in enumerate(names)
    )
    if before != names:
        _names_changed(profile)


@transaction.atomic
def profile_update(
    *, profile: MemberProfile, data: dict[str, Any], professional_names: list[str] | None = None
) -> MemberProfile:
    """Save the given profile fields (and the professional names, when given)."""
    for field, value in data.items():
        setattr(profile, field, value)
    profile.save()
    if professional_names is not None:
        profile_set_professional_names(profile=profile, names=professional_names)
    return profile


def _names_changed(profile: MemberProfile) -> None:
    """A writer's or author's credit matches a listing's creators by name, so new names mean new matches."""
    credit_ids = list(profile.credits.values_list("pk", flat=True))
    if credit_ids:
        credits_changed.send(sender=ProfessionalName, credit_ids=credit_ids)
