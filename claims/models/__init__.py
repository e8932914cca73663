"""The claims app's models, one module per concern."""

from claims.models.claims import Claim, ClaimEvent, Evidence, VerifierAssignment, evidence_upload_path
from claims.models.discovery import (
    Manifest,
    ManifestEntry,
    ManifestRejection,
    Match,
    MatchDecision,
    TrainingSet,
    manifest_upload_path,
)
from claims.models.residuals import (
    AllocationLine,
    CarriedBalance,
    ResidualPool,
    Statement,
    StatementRun,
    statement_upload_path,
)

__all__ = [
    "AllocationLine",
    "CarriedBalance",
    "Claim",
    "ClaimEvent",
    "Evidence",
    "Manifest",
    "ManifestEntry",
    "ManifestRejection",
    "Match",
    "MatchDecision",
    "ResidualPool",
    "Statement",
    "StatementRun",
    "TrainingSet",
    "VerifierAssignment",
    "evidence_upload_path",
    "manifest_upload_path",
    "statement_upload_path",
]
