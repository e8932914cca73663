"""Training sets, the manifests that list what they contain, and the matches found in them."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from claims.enums import FINISHED_MANIFEST_STATES, ManifestStatus, MatchMethod, MatchStatus, Media
from members.models import Credit


class TrainingSet(models.Model):
    """An AI training data set, as documented publicly (a paper, an article, a court filing)."""

    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50, blank=True)
    developer = models.CharField(
        "AI developer or publisher", max_length=200, help_text="Who built the set, or who trained on it."
    )
    media = models.JSONField(default=list, help_text="Kinds of material in the set.")
    description = models.TextField(blank=True)
    documentation_url = models.URLField("where it was documented", max_length=500, blank=True)
    documentation_note = models.CharField(
        max_length=500, blank=True, help_text="Article, paper or court filing, if there is no link."
    )
    discovered_on = models.DateField("date discovered", null=True, blank=True)
    # The manifest members see. Switched in one transaction when a new version
    # has loaded completely, so nobody ever sees a half-loaded set.
    current_manifest = models.OneToOneField(
        "Manifest", null=True, blank=True, on_delete=models.SET_NULL, related_name="current_for"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="training_set_name_version")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()

    @property
    def media_labels(self) -> list[str]:
        labels = dict(Media.choices)
        return [labels.get(value, value) for value in self.media]


def manifest_upload_path(instance: "Manifest", filename: str) -> str:
    return f"manifests/{secrets.token_hex(16)}"


class Manifest(models.Model):
    """One uploaded listing of a training set's contents, and the job that loads it."""

    training_set = models.ForeignKey(TrainingSet, on_delete=models.CASCADE, related_name="manifests")
    file = models.FileField(upload_to=manifest_upload_path)
    original_name = models.CharField(max_length=255)
    file_size = models.BigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=12, choices=ManifestStatus.choices, default=ManifestStatus.QUEUED)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    columns = models.JSONField(default=dict, blank=True, help_text="How the file's columns were understood.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.training_set}: {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_MANIFEST_STATES

    @property
    def seconds_left(self) -> int | None:
        """Estimated from the share of the file read so far (compressed bytes for .gz)."""
        if self.is_finished or not self.started_at or not self.bytes_read or not self.file_size:
            return None

        elapsed = (timezone.now() - self.started_at).total_seconds()
        return max(0, int(elapsed * (self.file_size - self.bytes_read) / self.bytes_read))

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return min(99, int(100 * self.bytes_read / self.file_size)) if self.file_size else 0


class ManifestEntry(models.Model):
    """One row of a manifest: a work the training set contains, as the listing writes it."""

    # No index of its own: the (manifest, row_number) unique index serves lookups by manifest,
    # and each index costs time on every row a million-row COPY writes. No foreign-key
    # constraint in the database either: PostgreSQL checks one row by row when the load's
    # chunks commit, a fifth of a million-row load (~5.5 s) spent with the loader waiting.
    # Entries are written only by manifest_ingest, for the manifest row it has just claimed,
    # and are deleted with their manifest by Django's cascade (nothing deletes manifests
    # otherwise: they are superseded, not removed).
    manifest = models.ForeignKey(
        Manifest, on_delete=models.CASCADE, related_name="entries", db_index=False, db_constraint=False
    )
    row_number = models.PositiveIntegerField(help_text="Line in the file; the header is row 1.")
    raw_title = models.CharField(max_length=1000)
    title = models.CharField(max_length=1000)
    alternate_titles = models.JSONField(default=list, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    creators = models.CharField(max_length=1000, blank=True)
    imdb_id = models.CharField(max_length=12, blank=True)
    isbn = models.CharField(max_length=13, blank=True)
    eidr = models.CharField(max_length=40, blank=True)
    series = models.CharField(max_length=500, blank=True)
    season = models.PositiveSmallIntegerField(null=True, blank=True)
    episode = models.PositiveIntegerField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text="Columns we do not interpret, kept as written.")
    # Normalised text for "is my work in it?" search (titles and creators);
    # on PostgreSQL a trigram index makes substring search fast.
    search_text = models.TextField(blank=True)
    # Keys the matching engine computed at ingestion, so matching does not re-parse: one line
    # of text (claims.matching.stored_keys), cheaper than JSON to write and read a million times.
    match_keys = models.TextField(blank=True)
    # What the entry says (title key, year, identifiers, episode, creators), hashed:
    # the same listing line in a new version of the manifest has the same fingerprint.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["row_number"]
        constraints = [models.UniqueConstraint(fields=["manifest", "row_number"], name="entry_row_unique")]
        # Partial: most entries carry no identifier, and those rows then cost no index writes.
        indexes = [
            models.Index(fields=["manifest", "imdb_id"], name="entry_imdb", condition=~models.Q(imdb_id="")),
            models.Index(fields=["manifest", "isbn"], name="entry_isbn", condition=~models.Q(isbn="")),
            models.Index(fields=["manifest", "eidr"], name="entry_eidr", condition=~models.Q(eidr="")),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


class ManifestRejection(models.Model):
    """A manifest row that could not be loaded, and why; staff see the list."""

    manifest = models.ForeignKey(Manifest, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    excerpt = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["row_number"]
        constraints = [models.UniqueConstraint(fields=["manifest", "row_number"], name="rejection_row_unique")]

    def __str__(self) -> str:
        return f"manifest {self.manifest_id}, row {self.row_number}: {self.reason}"


class Match(models.Model):
    """A member's credit found in a training set's manifest."""

    credit = models.ForeignKey(Credit, on_delete=models.CASCADE, related_name="matches")
    entry = models.ForeignKey(ManifestEntry, on_delete=models.CASCADE, related_name="matches")
    training_set = models.ForeignKey(TrainingSet, on_delete=models.CASCADE, related_name="matches")
    score = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=12, choices=MatchMethod.choices)
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=MatchStatus.choices, default=MatchStatus.NEW)
    found_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "entry__row_number"]
        constraints = [models.UniqueConstraint(fields=["credit", "entry"], name="match_credit_entry")]
        indexes = [models.Index(fields=["training_set", "status"])]

    def __str__(self) -> str:
        return f"credit {self.credit_id} found in entry {self.entry_id} ({self.score})"


class MatchDecision(models.Model):
    """A member's "Claim this" or "Not mine", remembered by the entry's fingerprint rather
    than its row id, so it survives re-matching and new versions of the manifest."""

    credit = models.ForeignKey(Credit, on_delete=models.CASCADE, related_name="match_decisions")
    training_set = models.ForeignKey(TrainingSet, on_delete=models.CASCADE, related_name="match_decisions")
    entry_fingerprint = models.CharField(max_length=64)
    decision = models.CharField(
        max_length=12, choices=[(MatchStatus.CONFIRMED, "Confirmed"), (MatchStatus.DISMISSED, "Not mine")]
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["credit", "training_set", "entry_fingerprint"], name="match_decision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} by credit {self.credit_id} in set {self.training_set_id}"
