"""Who may do what with a claim, and which claims conflict. Checked on the server for every action."""

from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Q, QuerySet

from claims.enums import ClaimStatus as S
from claims.models import Claim, VerifierAssignment
from members.enums import Job
from members.models import Union, User

MEMBER, STAFF = "member", "staff"
# The portal itself acts (actor None) only to mark conflicting claims disputed; it may make any
# STAFF move into DISPUTED.

# (from, to) -> who may make the move.
ALLOWED_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): MEMBER,
    (S.DRAFT, S.WITHDRAWN): MEMBER,
    (S.SUBMITTED, S.IN_REVIEW): STAFF,
    (S.SUBMITTED, S.DISPUTED): STAFF,
    (S.SUBMITTED, S.WITHDRAWN): MEMBER,
    (S.IN_REVIEW, S.VERIFIED): STAFF,
    (S.IN_REVIEW, S.REJECTED): STAFF,
    (S.IN_REVIEW, S.NEEDS_INFO): STAFF,
    (S.IN_REVIEW, S.DISPUTED): STAFF,
    (S.IN_REVIEW, S.WITHDRAWN): MEMBER,
    (S.NEEDS_INFO, S.IN_REVIEW): MEMBER,  # the member answers; it goes back to the verifier
    (S.NEEDS_INFO, S.WITHDRAWN): MEMBER,
    (S.NEEDS_INFO, S.DISPUTED): STAFF,
    (S.DISPUTED, S.VERIFIED): STAFF,
    (S.DISPUTED, S.REJECTED): STAFF,
    (S.DISPUTED, S.WITHDRAWN): MEMBER,
    (S.VERIFIED, S.IN_REVIEW): STAFF,  # reopen
    (S.VERIFIED, S.DISPUTED): STAFF,  # another member's claim conflicts with a verified one
    (S.REJECTED, S.IN_REVIEW): STAFF,  # reopen
    (S.WITHDRAWN, S.DRAFT): MEMBER,  # start again
}

# Jobs that one person holds on a work; two claims on one of them are a conflict.
SINGLE_HOLDER_JOBS = {
    Job.DIRECTOR,
    Job.DIRECTOR_OF_PHOTOGRAPHY,
    Job.PRODUCTION_SOUND_MIXER,
    Job.PRODUCTION_DESIGNER,
    Job.COSTUME_DESIGNER,
    Job.GAFFER,
    Job.KEY_GRIP,
}


def verifier_union_ids(user: User) -> set[int]:
    """The unions a verifier is assigned to, with the locals of each (IATSE covers Local 600)."""
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
