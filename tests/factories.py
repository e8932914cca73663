"""Plain factory functions for test data. They go through our services where a service exists."""

import itertools

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from members.enums import WorkType
from members.models import Credit, MemberProfile, Membership, Union, User, Work
from members.services.credits import credit_create
from members.services.profiles import profile_ensure, profile_set_professional_names
from members.services.works import WorkDetails, work_find_or_create

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_user(*, email: str | None = None, password: str = PASSWORD, verified: bool = True, **extra) -> User:
    email = email or f"person{next(_counter)}@example.org"
    user = User.objects.create_user(email=email, password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def make_member(*, email: str | None = None, legal_name: str = "Jane Roe", professional_names=(),
                **user_extra) -> MemberProfile:
    user = make_user(email=email, **user_extra)
    profile = profile_ensure(user=user)
    profile.legal_name = legal_name
    profile.save()
    if professional_names:
        profile_set_professional_names(profile=profile, names=list(professional_names))
    return profile


def enable_totp(user: User) -> str:
    """Turn on TOTP for the user, as if they had scanned the QR code; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def make_staff(*, email: str | None = None, with_mfa: bool = True, **extra) -> User:
    user = make_user(email=email, is_staff=True, **extra)
    profile_ensure(user=user)
    if with_mfa:
        enable_totp(user)
    return user


def make_union_membership(member: MemberProfile, short_name: str = "SAG-AFTRA", number: str = "") -> Membership:
    union = Union.objects.get(short_name=short_name)
    return Membership.objects.create(member=member, union=union, member_number=number or f"M{next(_counter):06d}")


def make_work(*, title: str = "Night Harbor", year: int = 2019, work_type: str = WorkType.FEATURE_FILM,
              **identifiers) -> Work:
    return work_find_or_create(WorkDetails(title=title, year=year, work_type=work_type, identifiers=identifiers))


def make_credit(member: MemberProfile, work: Work | None = None, *, job: str = "principal",
                credited_as: str = "") -> Credit:
    return credit_create(member=member, work=work or make_work(), job=job, credited_as=credited_as)
