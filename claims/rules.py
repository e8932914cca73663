"""Who may do what with a claim. Checked on the server for every action."""

from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Q, QuerySet

from claims.models import Claim, VerifierAssignment
from members.models import User


def verifier_union_ids(user: User) -> set[int]:
    """The unions a verifier is assigned to, with the locals of each (IATSE covers Local 600)."""
    from members.models import Union

    assigned = set(VerifierAssignment.objects.filter(verifier=user).values_list("union_id", flat=True))
    if assigned:
        assigned |= set(Union.objects.filter(parent_id__in=assigned).values_list("pk", flat=True))
    return assigned


def claims_visible_to_staff(user: User) -> QuerySet[Claim]:
    """Claims of members in the verifier's unions; a superuser sees all. Drafts are the member's own."""
    claims = Claim.objects.exclude(status="draft")
    if user.is_superuser:
        return claims
    return claims.filter(member__memberships__union_id__in=verifier_union_ids(user)).distinct()


def is_verifier(user: User) -> bool:
    return bool(user.is_authenticated and user.is_staff and is_mfa_enabled(user))


def has_conflict_of_interest(user: User, claim: Claim) -> bool:
    """A verifier never decides their own claim, nor any claim on a work they claim themselves."""
    profile = getattr(user, "profile", None)
    if profile is None:
        return False
    if claim.member_id == profile.pk:
        return True
    return Claim.objects.filter(member=profile, credit__work_id=claim.credit.work_id).exists()


def may_decide(user: User, claim: Claim) -> bool:
    if not is_verifier(user) or has_conflict_of_interest(user, claim):
        return False
    return claims_visible_to_staff(user).filter(Q(pk=claim.pk)).exists()
