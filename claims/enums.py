"""States and choices for training sets, manifests and matches."""

from django.db import models


class Media(models.TextChoices):
    BOOKS_TEXT = "books_text", "Books and text"
    SUBTITLES = "subtitles", "Film and TV subtitles"
    SCRIPTS = "scripts", "Film and TV scripts"
    VIDEO = "video", "Video"
    IMAGES = "images", "Images"
    AUDIO = "audio", "Audio and voice"


class ManifestStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to load"
    LOADING = "loading", "Loading"
    ACTIVE = "active", "Current"
    SUPERSEDED = "superseded", "Replaced by a newer version"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_MANIFEST_STATES = {
    ManifestStatus.ACTIVE,
    ManifestStatus.SUPERSEDED,
    ManifestStatus.FAILED,
    ManifestStatus.CANCELLED,
}


class MatchMethod(models.TextChoices):
    IDENTIFIER = "identifier", "Same identifier"
    EXACT = "exact", "Exact title and year"
    ALTERNATE = "alternate", "Alternate title"
    FUZZY = "fuzzy", "Similar title"


class MatchStatus(models.TextChoices):
    NEW = "new", "Found"
    CONFIRMED = "confirmed", "Confirmed by the member"
    DISMISSED = "dismissed", "Not mine"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    NEEDS_INFO = "needs_info", "Needs information"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DISPUTED = "disputed", "Disputed"


# Claims that count towards a work's shares and conflicts: everything still alive.
ACTIVE_CLAIM_STATES = {
    ClaimStatus.SUBMITTED,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.NEEDS_INFO,
    ClaimStatus.VERIFIED,
    ClaimStatus.DISPUTED,
}
# A member may still change or withdraw these.
OPEN_CLAIM_STATES = {
    ClaimStatus.DRAFT,
    ClaimStatus.SUBMITTED,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.NEEDS_INFO,
    ClaimStatus.DISPUTED,
}


class RejectReason(models.TextChoices):
    NOT_IN_CREDITS = "not_in_credits", "The member is not in the work's credits"
    WRONG_WORK = "wrong_work", "The manifest entry is a different work"
    WRONG_ROLE = "wrong_role", "The role claimed does not match the credits"
    NO_EVIDENCE = "no_evidence", "No evidence after a request for information"
    DUPLICATE = "duplicate", "Duplicate of another claim"
    NOT_MEMBER = "not_member", "Not a member of a participating union for this work"
    OTHER = "other", "Other (explained below)"


class EvidenceKind(models.TextChoices):
    CONTRACT = "contract", "Contract or deal memo"
    CALL_SHEET = "call_sheet", "Call sheet"
    SCREEN_CREDIT = "screen_credit", "Screen-credit screenshot"
    WGA_REGISTRATION = "wga_registration", "WGA registration"
    COPYRIGHT_PAGE = "copyright_page", "ISBN or copyright page"
    PAY_STUB = "pay_stub", "Pay stub or residual statement"
    OTHER = "other", "Other"


class PoolStatus(models.TextChoices):
    DRAFT = "draft", "Draft (preview only)"
    ISSUED = "issued", "Issued"


class AllocationStatus(models.TextChoices):
    PAYABLE = "payable", "Payable"
    HELD = "held", "Held: claims on this work are disputed"
    CARRIED = "carried", "Carried forward: below the payment threshold"


class StatementRunStatus(models.TextChoices):
    RUNNING = "running", "Producing statements"
    DONE = "done", "Done"
    DONE_WITH_FAILURES = "done_with_failures", "Done, some statements failed"


class StatementStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"
    SUPERSEDED = "superseded", "Replaced by a correction"
