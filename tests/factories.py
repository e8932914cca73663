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


def make_member(
    *, email: str | None = None, legal_name: str = "Jane Roe", professional_names=(), **user_extra
) -> MemberProfile:
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


def make_work(
    *, title: str = "Night Harbor", year: int = 2019, work_type: str = WorkType.FEATURE_FILM, **identifiers
) -> Work:
    return work_find_or_create(WorkDetails(title=title, year=year, work_type=work_type, identifiers=identifiers))


def make_credit(
    member: MemberProfile, work: Work | None = None, *, job: str = "principal", credited_as: str = ""
) -> Credit:
    return credit_create(member=member, work=work or make_work(), job=job, credited_as=credited_as)


def make_training_set(*, name: str = "OpenSubs 2024", developer: str = "Acme AI", media=("subtitles",)):
    from claims.models import TrainingSet

    return TrainingSet.objects.create(name=name, developer=developer, media=list(media))


def load_manifest(training_set, content: bytes | str, *, name: str = "listing.csv", match: bool = True):
    """Upload and load a manifest the way the worker does (without the broker), then match it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from claims.services.discovery.ingestion import manifest_ingest, manifest_upload
    from claims.services.discovery.matching import manifest_match

    data = content.encode() if isinstance(content, str) else content
    manifest = manifest_upload(
        training_set=training_set, upload=SimpleUploadedFile(name, data), uploaded_by=None, queue=False
    )
    manifest = manifest_ingest(manifest_id=manifest.pk)
    if match and manifest.status == "active":
        manifest_match(manifest_id=manifest.pk)
    manifest.refresh_from_db()
    return manifest


def current_totp_code(secret: str) -> str:
    """The code an authenticator app would show now (waiting out the last second of a period)."""
    import time

    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % mfa_settings.TOTP_PERIOD > mfa_settings.TOTP_PERIOD - 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def make_verifier(*, email: str | None = None, unions=("SAG-AFTRA",), **extra):
    """Union staff with two-step sign-in, assigned to verify these unions' claims."""
    from claims.models import VerifierAssignment

    user = make_staff(email=email, **extra)
    for short_name in unions:
        VerifierAssignment.objects.create(verifier=user, union=Union.objects.get(short_name=short_name))
    return user


def make_claim(
    member: MemberProfile,
    *,
    title: str = "Night Harbor",
    year: int = 2019,
    job: str = "principal",
    training_set=None,
    submit: bool = True,
    share=None,
):
    """A member's claim on one of their works found in a training set (submitted unless told otherwise)."""
    from claims.models import ManifestEntry
    from claims.services.claims.filing import claim_start, claim_submit
    from claims.services.claims.transitions import Actor
    from members.models import Work

    work = Work.objects.filter(title=title, year=year).first() or make_work(title=title, year=year)
    credit = member.credits.filter(work=work, job=job).first() or make_credit(member, work, job=job)
    if training_set is None:
        training_set = make_training_set(name=f"Set for {title} {next(_counter)}")
    if training_set.current_manifest is None:
        load_manifest(training_set, f"title,year\n{title},{year}\n", match=False)
        training_set.refresh_from_db()
    entry = ManifestEntry.objects.filter(manifest=training_set.current_manifest).first()
    claim = claim_start(member=member, credit=credit, training_set=training_set, entries=[entry])
    if submit:
        claim = claim_submit(claim=claim, actor=Actor(member.user), declared_share=share)
    return claim
