"""Union memberships a member declares on their profile."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import MemberProfile, Membership


@transaction.atomic
def membership_save(*, member: MemberProfile, membership: Membership | None, data: dict[str, Any]) -> Membership:
    membership = membership or Membership(member=member)
    if membership.member_id != member.pk:
        raise PermissionError("A member can only change their own memberships")
    for field in ["union", "member_number", "status", "since"]:
        setattr(membership, field, data[field])
    membership.member_number = membership.member_number.strip()
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # Two saves raced past the form's checks; report it the same way.
        raise ValidationError("That membership or member number is already registered.") from None
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    membership.delete()
