"""Claims, their append-only trail, evidence files, and who may verify which union's claims."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from claims.enums import ClaimStatus, EvidenceKind, MatchMethod, RejectReason
from claims.models.discovery import ManifestEntry, TrainingSet
from members.models import Credit, MemberProfile, Union


class VerifierAssignment(models.Model):
    """Which unions' claims a verifier may see and decide. A union covers its locals too."""

    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifier_assignments"
    )
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="verifier_assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["verifier", "union"], name="verifier_union_unique")]

    def __str__(self) -> str:
        return f"{self.verifier} verifies {self.union}"


class Claim(models.Model):
    """A member's claim that one of their credits is in a training set: the basis of residuals.

    Status changes only through claims.services.claims.transitions.claim_transition, which
    checks the allowed transitions, updates conditionally and writes a ClaimEvent.
    """

    member = models.ForeignKey(MemberProfile, on_delete=models.PROTECT, related_name="claims")
    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, related_name="claims")
    training_set = models.ForeignKey(TrainingSet, on_delete=models.PROTECT, related_name="claims")
    entries = models.ManyToManyField(ManifestEntry, related_name="claims", blank=True)
    status = models.CharField(max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    # The member's share among rights holders of the same kind on the work (co-writers);
    # empty means "equal with the others".
    declared_share = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01), MaxValueValidator(100)],
        help_text="Percent, among people in the same kind of role on this work.",
    )
    statement = models.TextField("what the member says", blank=True, max_length=4000)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    reject_reason = models.CharField(max_length=20, choices=RejectReason.choices, blank=True)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    best_method = models.CharField(max_length=12, choices=MatchMethod.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submitted_at", "created_at"]
        constraints = [
            # One claim per credit and set, however often "Submit" is pressed or in how many tabs.
            models.UniqueConstraint(fields=["credit", "training_set"], name="one_claim_per_credit_and_set"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.number}: {self.credit.work} in {self.training_set}"

    @property
    def number(self) -> str:
        return f"CL-{self.pk:07d}" if self.pk else "CL-new"

    @property
    def work(self):
        return self.credit.work


class ClaimEvent(models.Model):
    """One step in a claim's life. Append-only: the application never changes or deletes
    these, and on PostgreSQL a trigger refuses UPDATE and DELETE (except of `emailed_at`)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_is_staff = models.BooleanField(default=False)
    from_status = models.CharField(max_length=12, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ClaimStatus.choices)
    reason = models.CharField(max_length=20, choices=RejectReason.choices, blank=True)
    message = models.TextField(blank=True, max_length=4000)  # what the member reads on their claim and in the email
    # Union staff's own note on the step (the review page's history): never shown or sent to the member.
    internal_note = models.TextField(blank=True, max_length=4000)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the member was emailed about this step: the one column that may change (portal.emails
    # claims it before sending, so the email goes at most once). It records delivery, not the claim's
    # history, so the trigger lets it alone through.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"claim {self.claim_id}: {self.from_status or 'new'} -> {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Claim events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Claim events are append-only")


def evidence_upload_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{secrets.token_hex(16)}"


class Evidence(models.Model):
    """A file a member gives in support of a claim. Private: served only to the member and
    staff who may see the claim."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="evidence")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.OTHER)
    file = models.FileField(upload_to=evidence_upload_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    event = models.ForeignKey(
        ClaimEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
        help_text="The answer to a request for information this file came with.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
