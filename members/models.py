"""Accounts, member profiles, unions and memberships, works and credits."""

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from members.enums import (
    JOB_CATEGORY,
    CreditCategory,
    ImportScope,
    ImportStatus,
    Job,
    MembershipStatus,
    PreferredLanguage,
    WorkType,
)

EARLIEST_YEAR = 1888  # the oldest surviving film


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: a member, union staff, or both. Email is the login."""

    # Removing AbstractUser's fields this way is Django's documented pattern; the stubs type
    # them as always present, so each removal needs an ignore.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    # When a roster import's invitation to set a password was sent: the mark that sends it at most once.
    invited_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Ours takes an email where auth's UserManager takes a username; the stubs expect auth's.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        profile = getattr(self, "profile", None)
        return profile.display_name if profile else self.email

    def get_short_name(self) -> str:
        return self.get_full_name()


class MemberProfile(models.Model):
    """What the union needs to know about a member to find their work and pay them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    legal_name = models.CharField(max_length=200, blank=True, help_text="As on your tax documents.")
    phone = models.CharField(max_length=40, blank=True)
    preferred_language = models.CharField(
        max_length=8, choices=PreferredLanguage.choices, default=PreferredLanguage.ENGLISH
    )
    # Postal address for statements.
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state / province", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True, default="United States")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        names = [name.name for name in self.professional_names.all()]
        return self.legal_name or (names[0] if names else self.user.email)

    @property
    def postal_address_lines(self) -> list[str]:
        locality = " ".join(
            part for part in [self.city + ("," if self.region else ""), self.region, self.postal_code] if part
        )
        lines = [self.address_line1, self.address_line2, locality, self.country]
        return [line for line in lines if line.strip()]

    @property
    def is_complete(self) -> bool:
        return bool(self.legal_name and self.address_line1 and self.city and self.postal_code)


class ProfessionalName(models.Model):
    """A stage, pen or screen-credit name; training-set matching looks for these."""

    profile = models.ForeignKey(MemberProfile, on_delete=models.CASCADE, related_name="professional_names")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint("profile", Lower("name"), name="professional_name_unique_per_member")]
        indexes = [models.Index(Lower("name"), name="professional_name_lower")]

    def __str__(self) -> str:
        return self.name


class Union(models.Model):
    """A guild or union, or a local of one (IATSE Local 600 has IATSE as parent)."""

    short_name = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="locals")
    local_number = models.CharField(max_length=10, blank=True)
    craft = models.CharField(max_length=200, blank=True, help_text="Who the local represents.")
    default_category = models.CharField(max_length=12, choices=CreditCategory.choices, blank=True)
    # Other spellings people use in rosters and CSV files ("SAG", "Local 600", "ICG").
    aliases = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["parent__short_name", "short_name"]

    def __str__(self) -> str:
        return self.short_name


class Membership(models.Model):
    member = models.ForeignKey(MemberProfile, on_delete=models.CASCADE, related_name="memberships")
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="memberships")
    member_number = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=24, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE)
    since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["union__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "union"], name="one_membership_per_union"),
            models.UniqueConstraint(
                fields=["union", "member_number"],
                condition=~models.Q(member_number=""),
                name="member_number_unique_per_union",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.member_number}".strip()


class Work(models.Model):
    """A film, episode, book, script or other work; shared by every member who credits it.

    Two credits are on the same work when they share an identifier, or the same
    title key (see members.titles), year and type.
    """

    title = models.CharField(max_length=500)
    title_key = models.CharField(max_length=500, editable=False)
    alternate_titles = models.JSONField(default=list, blank=True)
    work_type = models.CharField(max_length=20, choices=WorkType.choices)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(2100)])
    # For TV episodes.
    series_title = models.CharField(max_length=500, blank=True)
    season = models.PositiveSmallIntegerField(null=True, blank=True)
    episode = models.PositiveSmallIntegerField(null=True, blank=True)
    imdb_id = models.CharField("IMDb id", max_length=12, null=True, blank=True, unique=True)
    eidr = models.CharField("EIDR", max_length=40, null=True, blank=True, unique=True)
    isan = models.CharField("ISAN", max_length=30, null=True, blank=True, unique=True)
    isbn = models.CharField("ISBN", max_length=13, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "year"]
        constraints = [
            models.UniqueConstraint(fields=["work_type", "title_key", "year"], name="work_identity"),
        ]
        indexes = [models.Index(fields=["title_key"])]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.year})"

    @property
    def display_title(self) -> str:
        if self.work_type == WorkType.TV_EPISODE and self.series_title:
            numbering = ""
            if self.season and self.episode:
                numbering = f" S{self.season:02d}E{self.episode:02d}"
            return f"{self.series_title}{numbering}: {self.title}"
        return self.title

    @property
    def identifiers(self) -> list[tuple[str, str]]:
        fields = [("IMDb", self.imdb_id), ("EIDR", self.eidr), ("ISAN", self.isan), ("ISBN", self.isbn)]
        return [(label, value) for label, value in fields if value]


class Credit(models.Model):
    """One member's part in one work."""

    member = models.ForeignKey(MemberProfile, on_delete=models.CASCADE, related_name="credits")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="credits")
    category = models.CharField(max_length=12, choices=CreditCategory.choices, editable=False)
    job = models.CharField(max_length=32, choices=Job.choices)
    credited_as = models.CharField(
        "character or credited-as name",
        max_length=200,
        blank=True,
        help_text="The character you played, or the name on screen if it differs from yours.",
    )
    episode_count = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-work__year", "work__title"]
        constraints = [
            models.UniqueConstraint(fields=["member", "work", "job"], name="one_credit_per_job_per_work"),
        ]

    def __str__(self) -> str:
        return f"{self.work} – {self.get_job_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The category always follows from the job, so it can never disagree with it.
        self.category = JOB_CATEGORY[self.job]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:credit_edit", args=[self.pk])


def import_upload_path(instance: "CreditImport", filename: str) -> str:
    """Random, private file names: the original name is kept in a field, never in the path."""

    return f"credit-imports/{secrets.token_hex(16)}.csv"


class CreditImport(models.Model):
    """One uploaded credits CSV and what became of it.

    Imports are all-or-nothing per file: every row is checked first, and only
    a file without errors is written, in one transaction.
    """

    scope = models.CharField(max_length=8, choices=ImportScope.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_imports")
    # For a member's own import: whose credits these are.
    member = models.ForeignKey(
        MemberProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="credit_imports"
    )
    file = models.FileField(upload_to=import_upload_path)
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    credits_created = models.PositiveIntegerField(default=0)
    credits_already_registered = models.PositiveIntegerField(default=0)
    works_created = models.PositiveIntegerField(default=0)
    accounts_created = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first errors, [{"line": 7, "reason": "..."}]; error_count has the full number.
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CRASHED}
