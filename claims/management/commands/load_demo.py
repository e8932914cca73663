"""Demo data for `make run`: three members of three unions, a union verifier, and two
AI training sets in which the members' works are found.

Idempotent: a person whose email is already registered is left exactly as they
are, and a training set that already has a current manifest is not loaded
again, so a second run changes nothing and only prints the logins again. Every
name, number, address and identifier here is made up; the IMDb-style ids use
the unassigned tt99… range and the ISBN carries a valid check digit.

The training sets' manifests (claims/demo.py) are loaded synchronously through
the same services a staff upload goes through, then matched with emails on, so
each demo member finds a "found in a training set" email in var/mail/ and new
matches on the dashboard, left for them to claim.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Required, TypedDict

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.demo.claims import DEMO_VERIFIERS, load_demo_claims, load_demo_pools
from claims.demo.training_sets import DEMO_TRAINING_SETS, DemoTrainingSet
from claims.enums import ManifestStatus
from claims.models import Match, TrainingSet
from claims.services.discovery.ingestion import manifest_ingest, manifest_upload
from claims.services.discovery.matching import manifest_match
from claims.services.discovery.training_sets import training_set_save
from members.enums import Job, MembershipStatus, WorkType
from members.identifiers import NORMALIZERS
from members.models import MemberProfile, Union, User
from members.services.credits import credit_create
from members.services.memberships import membership_save
from members.services.profiles import profile_ensure, profile_update
from members.services.works import WorkDetails, work_find_or_create

DEMO_PASSWORD = "union-demo-2026"
VERIFIER_EMAIL = "verifier@union.example"


@dataclass(frozen=True)
class DemoCredit:
    title: str
    year: int
    work_type: str
    job: str
    credited_as: str = ""
    series_title: str = ""
    season: int | None = None
    episode: int | None = None
    episode_count: int | None = None
    # Raw, as a member might paste them; normalised through members.identifiers.
    identifiers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoMember:
    email: str
    description: str
    legal_name: str
    professional_names: list[str]
    address: dict[str, str]
    union: str
    member_number: str
    since: date
    credits: list[DemoCredit]


class _DemoWork(TypedDict, total=False):
    """A work's half of a DemoCredit, typed so that `DemoCredit(**SALT_ROAD, ...)` is checked."""

    title: Required[str]
    year: Required[int]
    work_type: Required[str]
    series_title: str
    season: int
    episode: int
    identifiers: dict[str, str]


# Works that two members share carry the same details in both lists, so
# work_find_or_create hands both the same Work row.
SALT_ROAD: _DemoWork = {
    "title": "The Salt Road",
    "year": 2016,
    "work_type": WorkType.FEATURE_FILM,
    "identifiers": {"imdb_id": "tt99000101"},
}
HARBOR_LIGHTS: _DemoWork = {
    "title": "Harbor Lights at Midnight",
    "year": 2021,
    "work_type": WorkType.FEATURE_FILM,
    "identifiers": {"imdb_id": "https://www.imdb.com/title/tt99000102/"},
}
LONG_QUIET: _DemoWork = {
    "title": "The Long Quiet",
    "year": 2019,
    "work_type": WorkType.FEATURE_FILM,
    "identifiers": {"imdb_id": "TT99000103"},
}
DESERT_PILOT: _DemoWork = {
    "title": "Pilot",
    "year": 2023,
    "work_type": WorkType.TV_EPISODE,
    "series_title": "Desert Frequencies",
    "season": 1,
    "episode": 1,
    "identifiers": {"imdb_id": "tt99000104"},
}
COUNTY_GENERAL_2X05: _DemoWork = {
    "title": "Code Amber",
    "year": 2018,
    "work_type": WorkType.TV_EPISODE,
    "series_title": "County General Nights",
    "season": 2,
    "episode": 5,
}

DEMO_MEMBERS = [
    DemoMember(
        email="lola.vega@example.org",
        description="SAG-AFTRA actor",
        legal_name="Dolores Marisol Vega",
        professional_names=["Lola Vega", "Dolores Vega"],
        address={
            "address_line1": "4120 Fountain Avenue, Apt 7",
            "city": "Los Angeles",
            "region": "CA",
            "postal_code": "90029",
        },
        union="SAG-AFTRA",
        member_number="4471902",
        since=date(2009, 3, 16),
        credits=[
            DemoCredit(**SALT_ROAD, job=Job.SUPPORTING, credited_as="Inez Marquez"),
            DemoCredit(**HARBOR_LIGHTS, job=Job.PRINCIPAL, credited_as="Det. Ruth Calloway"),
            DemoCredit(**COUNTY_GENERAL_2X05, job=Job.SUPPORTING, credited_as="Nurse Abby Lin"),
            DemoCredit(
                title="Aftershock",
                year=2018,
                work_type=WorkType.TV_EPISODE,
                series_title="County General Nights",
                season=2,
                episode=6,
                job=Job.SUPPORTING,
                credited_as="Nurse Abby Lin",
            ),
            DemoCredit(**DESERT_PILOT, job=Job.PRINCIPAL, credited_as="Marisa Quell"),
            DemoCredit(
                title="Starfall Tactics",
                year=2022,
                work_type=WorkType.VIDEO_GAME,
                job=Job.VOICE,
                credited_as="Commander Vess",
            ),
        ],
    ),
    DemoMember(
        email="sam.brooks@example.org",
        description="WGA West writer",
        legal_name="Samuel Adeyemi Brooks",
        professional_names=["Sam Brooks", "S. A. Brooks"],
        address={"address_line1": "88 Larkspur Lane", "city": "Pasadena", "region": "CA", "postal_code": "91104"},
        union="WGA West",
        member_number="W-30218",
        since=date(2012, 9, 4),
        credits=[
            DemoCredit(**DESERT_PILOT, job=Job.TELEPLAY_BY),
            DemoCredit(
                title="Static",
                year=2023,
                work_type=WorkType.TV_EPISODE,
                series_title="Desert Frequencies",
                season=1,
                episode=4,
                job=Job.WRITTEN_BY,
            ),
            DemoCredit(**LONG_QUIET, job=Job.SCREENPLAY_BY),
            DemoCredit(**LONG_QUIET, job=Job.STORY_BY),
            DemoCredit(**HARBOR_LIGHTS, job=Job.SCREENPLAY_BY),
            DemoCredit(
                title="The Cartographer's Daughter",
                year=2014,
                work_type=WorkType.BOOK,
                job=Job.AUTHOR,
                identifiers={"isbn": "979-8-9900010-1-5"},
            ),
            DemoCredit(title="Paper Boats", year=2012, work_type=WorkType.SHORT_FILM, job=Job.WRITTEN_BY),
        ],
    ),
    DemoMember(
        email="rafael.ortiz@example.org",
        description="IATSE Local 600 cinematographer (in a dispute)",
        legal_name="Rafael Ortiz",
        professional_names=["Rafa Ortiz"],
        address={"address_line1": "610 Alameda Street", "city": "Glendale", "region": "CA", "postal_code": "91205"},
        union="IATSE Local 600",
        member_number="600-40311",
        since=date(2005, 1, 10),
        credits=[DemoCredit(**HARBOR_LIGHTS, job=Job.DIRECTOR_OF_PHOTOGRAPHY)],
    ),
    DemoMember(
        email="keisha.grant@example.org",
        description="IATSE Local 600 cinematographer (in a dispute)",
        legal_name="Keisha Grant",
        professional_names=["K. Grant"],
        address={"address_line1": "77 Magnolia Boulevard", "city": "Burbank", "region": "CA", "postal_code": "91502"},
        union="IATSE Local 600",
        member_number="600-51270",
        since=date(2011, 8, 22),
        credits=[DemoCredit(**HARBOR_LIGHTS, job=Job.DIRECTOR_OF_PHOTOGRAPHY)],
    ),
    DemoMember(
        email="minjung.park@example.org",
        description="IATSE Local 600 camera operator",
        legal_name="Min-jung Park",
        professional_names=["Minnie Park"],
        address={
            "address_line1": "2250 Riverside Drive",
            "address_line2": "Unit 12",
            "city": "Burbank",
            "region": "CA",
            "postal_code": "91506",
        },
        union="IATSE Local 600",
        member_number="600-58817",
        since=date(2014, 6, 2),
        credits=[
            DemoCredit(**SALT_ROAD, job=Job.CAMERA_OPERATOR),
            DemoCredit(**HARBOR_LIGHTS, job=Job.CAMERA_OPERATOR),
            DemoCredit(**LONG_QUIET, job=Job.FIRST_AC),
            DemoCredit(**COUNTY_GENERAL_2X05, job=Job.CAMERA_OPERATOR),
            DemoCredit(
                title="Northbound",
                year=2020,
                work_type=WorkType.TV_SERIES,
                job=Job.CAMERA_OPERATOR,
                episode_count=8,
                identifiers={"imdb_id": "tt99000105"},
            ),
            DemoCredit(
                title="Brightwater Coffee: Morning Ritual",
                year=2022,
                work_type=WorkType.COMMERCIAL,
                job=Job.CAMERA_OPERATOR,
            ),
            DemoCredit(
                title="Neon Tide: Undertow", year=2020, work_type=WorkType.MUSIC_VIDEO, job=Job.DIRECTOR_OF_PHOTOGRAPHY
            ),
        ],
    ),
]


class Command(BaseCommand):
    help = (
        "Load demo members, credits, a union verifier and two training sets with their manifests (once), "
        "then print the logins."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            created = [person.email for person in DEMO_MEMBERS if self._load_member(person)]
            if self._load_verifier():
                created.append(VERIFIER_EMAIL)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded for {len(created)} people."))
        # Outside the members' transaction: ingestion commits chunk by chunk and the
        # "found" emails go out when matching commits.
        loaded = [demo for demo in DEMO_TRAINING_SETS if self._load_training_set(demo)]
        claim_lines = load_demo_claims(password=DEMO_PASSWORD)
        claim_lines += load_demo_pools(issued_by_email="sag.verifier@union.example")
        for line in claim_lines:
            self.stdout.write(self.style.SUCCESS(line))
        if not created and not loaded and not claim_lines:
            self.stdout.write("Demo data is already loaded; nothing changed.")
        self._print_logins()

    def _new_user(self, *, email: str, is_staff: bool = False) -> User | None:
        """A user with a verified primary email, or None when the email is already registered."""
        if User.objects.filter(email__iexact=email).exists():
            return None
        user = User(email=email, is_staff=is_staff)
        password_validation.validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    def _load_member(self, person: DemoMember) -> bool:
        user = self._new_user(email=person.email)
        if user is None:
            return False
        profile: MemberProfile = profile_update(
            profile=profile_ensure(user=user),
            data={"legal_name": person.legal_name, **person.address},
            professional_names=person.professional_names,
        )
        membership_save(
            member=profile,
            membership=None,
            data={
                "union": Union.objects.get(short_name=person.union),
                "member_number": person.member_number,
                "status": MembershipStatus.ACTIVE,
                "since": person.since,
            },
        )
        for credit in person.credits:
            work = work_find_or_create(
                WorkDetails(
                    title=credit.title,
                    year=credit.year,
                    work_type=credit.work_type,
                    series_title=credit.series_title,
                    season=credit.season,
                    episode=credit.episode,
                    identifiers={name: NORMALIZERS[name](raw) for name, raw in credit.identifiers.items()},
                )
            )
            credit_create(
                member=profile,
                work=work,
                job=credit.job,
                credited_as=credit.credited_as,
                episode_count=credit.episode_count,
            )
        return True

    def _load_verifier(self) -> bool:
        """Union staff, with two-step sign-in still off: a TOTP secret here would lock the demo
        login behind a code nobody has. Staff pages ask for it to be set up on first visit."""
        user = self._new_user(email=VERIFIER_EMAIL, is_staff=True)
        if user is None:
            return False
        profile_update(profile=profile_ensure(user=user), data={"legal_name": "Jordan Ellis"})
        return True

    def _load_training_set(self, demo: DemoTrainingSet) -> bool:
        """Create the set and load, activate and match its manifest, unless it has a current one.

        A set left without a current manifest (an earlier run stopped half-way) gets a new
        upload; the half-loaded one never became current, so members never saw it.
        """
        training_set = TrainingSet.objects.filter(name=demo.name, version=demo.version).first()
        if training_set is not None and training_set.current_manifest_id is not None:
            return False
        if training_set is None:
            training_set = training_set_save(training_set=None, data=demo.details)
        uploaded = manifest_upload(
            training_set=training_set,
            upload=SimpleUploadedFile(demo.file_name, demo.manifest()),
            uploaded_by=User.objects.filter(email=VERIFIER_EMAIL).first(),
            queue=False,
        )
        manifest = manifest_ingest(manifest_id=uploaded.pk)
        if manifest is None:
            raise CommandError(f"The demo manifest of {training_set} is being loaded by another process.")
        if manifest.status != ManifestStatus.ACTIVE:
            raise CommandError(f"The demo manifest of {training_set} did not load: {manifest.error}")
        manifest_match(manifest_id=manifest.pk, notify=True)
        found = Match.objects.filter(
            training_set=training_set, credit__member__user__email__in=[person.email for person in DEMO_MEMBERS]
        ).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Training set {training_set}: {manifest.rows_loaded:,} entries loaded, "
                f"{manifest.rows_rejected} rows rejected, {found} matches found for demo members."
            )
        )
        return True

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (every password is {DEMO_PASSWORD}):")
        for person in DEMO_MEMBERS:
            self.stdout.write(f"  {person.email:<28} {person.description}")
        self.stdout.write(f"  {VERIFIER_EMAIL:<28} union staff, two-step sign-in not set up yet")
        for email, _name, unions, _secret in DEMO_VERIFIERS:
            self.stdout.write(f"  {email:<28} verifier for {', '.join(unions)}")
        self.stdout.write(
            f"  {VERIFIER_EMAIL} is asked to set up two-step sign-in on the first visit to a staff page.\n"
            "  The union verifiers have it on; for their six-digit code run\n"
            "    .venv/bin/python manage.py demo_code EMAIL"
        )
