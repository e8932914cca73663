"""Evidence files: checked by what they contain, not by their name, and kept private.

Accepted: PDF, PNG, JPEG and plain UTF-8 text; at most 10 MB a file and 10 files
a claim. Each file is stored under a random name with its SHA-256, so a
verifier can tell later that it has not changed.
"""

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from claims.enums import OPEN_CLAIM_STATES
from claims.models import Claim, ClaimEvent, Evidence
from members.models import User
from portal.errors import Refused

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]
# Text that a browser would treat as a page (and run) is not plain text.
MARKUP_STARTS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body", b"<head")


class EvidenceRefused(Refused):
    """The file is not accepted; the message says why, in words the member can act on."""


def sniff_content_type(head: bytes) -> str:
    """The type the file's own bytes show, or '' when it is none we accept."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return ""


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    start = data.lstrip().lower()
    return not start.startswith(MARKUP_STARTS) and b"<script" not in data.lower()


def evidence_check(upload: "UploadedFile[bytes]") -> tuple[str, str]:
    """(content type, sha256) of an acceptable file; raises EvidenceRefused otherwise."""
    size = upload.size or 0  # Django's uploads always know their size; the stubs allow None
    if size > MAX_EVIDENCE_BYTES:
        raise EvidenceRefused(f"“{upload.name}” is larger than 10 MB. Send a smaller scan or a photo of the page.")
    if size == 0:
        raise EvidenceRefused(f"“{upload.name}” is empty.")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = sniff_content_type(data[:16])
    if not content_type:
        if _is_plain_text(data):
            content_type = "text/plain"
        else:
            raise EvidenceRefused(
                f"“{upload.name}” is not a PDF, PNG, JPEG or plain-text file (we look at what is inside, "
                "not at the name). Save it as PDF or take a screenshot."
            )
    return content_type, hashlib.sha256(data).hexdigest()


@transaction.atomic
def evidence_add(
    *, claim: Claim, upload: "UploadedFile[bytes]", kind: str, uploaded_by: User, event: ClaimEvent | None = None
) -> Evidence:
    # Lock the claim so two uploads at once cannot both be the tenth file.
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.status not in OPEN_CLAIM_STATES:
        raise EvidenceRefused(f"Claim {locked.number} is “{locked.get_status_display()}”: it takes no more files.")
    if claim.evidence.count() >= MAX_EVIDENCE_FILES:
        raise EvidenceRefused("A claim can have at most 10 files. Remove one or combine pages into one PDF.")
    content_type, digest = evidence_check(upload)
    evidence = Evidence(
        claim=claim,
        uploaded_by=uploaded_by,
        kind=kind,
        original_name=(upload.name or "")[:255],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest,
        event=event,
    )
    evidence.file.save("evidence", upload, save=False)
    evidence.save()
    return evidence
