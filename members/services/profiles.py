"""Member profiles: creation, updates and professional names."""

from django.db import transaction

from ..models import MemberProfile, ProfessionalName, User


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
    profile.professional_names.all().delete()
    ProfessionalName.objects.bulk_create(
        ProfessionalName(profile=profile, name=name, position=position) for position, name in enumerate(names)
    )


@transaction.atomic
def profile_update(*, profile: MemberProfile, data: dict, professional_names: list[str] | None = None) -> MemberProfile:
    """Save the given profile fields (and the professional names, when given)."""
    for field, value in data.items():
        setattr(profile, field, value)
    profile.save()
    if professional_names is not None:
        profile_set_professional_names(profile=profile, names=professional_names)
    return profile
