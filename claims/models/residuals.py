"""Residual pools, how each is shared among verified claims, and the statements members receive.

Money is Decimal to the cent everywhere (DecimalField, never float). A pool keeps
the rule and weights it was shared by, so a statement can be recomputed and
explained years later.
"""

import secrets
from typing import TypedDict

from django.conf import settings
from django.db import models

from claims.enums import AllocationStatus, PoolStatus, StatementRunStatus, StatementStatus
from claims.models.claims import Claim
from claims.models.discovery import TrainingSet
from members.enums import CreditCategory
from members.models import MemberProfile, Work


class _DecimalPlaces(TypedDict):
    """Typed, so that mypy can check `DecimalField(**MONEY)` against DecimalField's keywords."""

    max_digits: int
    decimal_places: int


MONEY: _DecimalPlaces = {"max_digits": 14, "decimal_places": 2}


class ResidualPool(models.Model):
    """Money an AI developer paid for a training set and period, to be shared as residuals."""

    payer = models.CharField("paid by (AI developer)", max_length=200)
    training_sets = models.ManyToManyField(TrainingSet, related_name="residual_pools")
    period_start = models.DateField()
    period_end = models.DateField()
    gross_amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="USD")
    admin_fee_percent = models.DecimalField("union administration fee (%)", max_digits=5, decimal_places=2)
    payment_threshold = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default="10.00",
        help_text="Smaller amounts carry forward to the member's next statement.",
    )
    # {"performer": "40", "writer": "40", "crew": "20"}: strings, read as Decimal.
    category_weights = models.JSONField(default=dict)
    rule = models.CharField(
        max_length=40,
        default="equal-works-v1",
        help_text="Which allocation rule, so old statements can be recomputed exactly.",
    )
    status = models.CharField(max_length=8, choices=PoolStatus.choices, default=PoolStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-created_at"]

    def __str__(self) -> str:
        return f"{self.payer}, {self.period_start:%b %Y}–{self.period_end:%b %Y}"


class AllocationLine(models.Model):
    """One member's share of one work in one pool: the lines of a statement."""

    pool = models.ForeignKey(ResidualPool, on_delete=models.PROTECT, related_name="lines")
    member = models.ForeignKey(MemberProfile, on_delete=models.PROTECT, related_name="allocation_lines")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="allocation_lines")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="+")
    training_set = models.ForeignKey(TrainingSet, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=12, choices=CreditCategory.choices)
    # The basis, exactly: the work's share of the net pool and the member's share of the work,
    # as fractions ("1/37", "2/5"), with the words a member reads on the statement.
    work_share = models.CharField(max_length=40)
    member_share = models.CharField(max_length=40)
    basis = models.CharField(max_length=300)
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=8, choices=AllocationStatus.choices, default=AllocationStatus.PAYABLE)

    class Meta:
        ordering = ["training_set__name", "work__title", "pk"]
        constraints = [models.UniqueConstraint(fields=["pool", "claim"], name="one_line_per_claim_per_pool")]

    def __str__(self) -> str:
        return f"pool {self.pool_id}, claim {self.claim_id}: {self.amount} {self.status}"


class CarriedBalance(models.Model):
    """Money below the payment threshold, waiting for the member's next statement."""

    member = models.ForeignKey(MemberProfile, on_delete=models.PROTECT, related_name="carried_balances")
    from_pool = models.ForeignKey(ResidualPool, on_delete=models.PROTECT, related_name="carried_out")
    amount = models.DecimalField(**MONEY)
    paid_in_pool = models.ForeignKey(
        ResidualPool, null=True, blank=True, on_delete=models.PROTECT, related_name="carried_in"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "from_pool"], name="one_carry_per_member_per_pool")]

    def __str__(self) -> str:
        return f"{self.amount} carried from pool {self.from_pool_id} for member {self.member_id}"


class StatementRun(models.Model):
    """Producing every member's statement for an issued pool; a row per run keeps its progress."""

    pool = models.ForeignKey(ResidualPool, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=20, choices=StatementRunStatus.choices, default=StatementRunStatus.RUNNING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"statement run {self.pk} of pool {self.pool_id} ({self.status})"


def statement_upload_path(instance: "Statement", filename: str) -> str:
    return f"statements/{secrets.token_hex(16)}.pdf"


class Statement(models.Model):
    """One member's residual statement in a run. A correction is a new version; the old one
    is kept, marked superseded."""

    run = models.ForeignKey(StatementRun, on_delete=models.PROTECT, related_name="statements")
    member = models.ForeignKey(MemberProfile, on_delete=models.PROTECT, related_name="statements")
    version = models.PositiveSmallIntegerField(default=1)
    number = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=12, choices=StatementStatus.choices, default=StatementStatus.PENDING)
    file = models.FileField(upload_to=statement_upload_path, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the statement's canonical data.")
    total_payable = models.DecimalField(**MONEY, default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # Set when the "your statement is ready" email is sent: at most one email per statement,
    # however often the task is delivered.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "member", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["run", "member", "version"], name="statement_version_unique"),
            models.UniqueConstraint(
                fields=["run", "member"],
                condition=~models.Q(status="superseded"),
                name="one_current_statement_per_member_per_run",
            ),
        ]

    def __str__(self) -> str:
        return self.number
