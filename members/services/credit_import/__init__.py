"""Credit CSV imports: a member's own list, or a staff roster for many members.

Imports are all-or-nothing per file. Pass 1 (checking.py) streams the stored file and
checks every row (recording up to MAX_STORED_ERRORS problems with their line numbers);
only a file without problems gets pass 2 (writing.py), which streams it again and writes
accounts, works, memberships and credits in one transaction. Memory stays bounded for
100,000-row files: rows are never all held at once, only maps from e-mail addresses and
work keys to ids.

A roster row for an e-mail we do not know creates an account with an unusable password;
after commit the new members are e-mailed an invitation (invitations.py) to claim it
through the password-reset page.

reading.py streams the CSV and knows its columns; status.py moves an import between states.
"""

import logging

from django.core.files import File
from django.db import transaction

from members.enums import ImportScope, ImportStatus
from members.models import CreditImport, MemberProfile, User
from members.services.credit_import.checking import MEMBER_MAX_ROWS, ImportChecker, Progress
from members.services.credit_import.invitations import account_invitations_send
from members.services.credit_import.reading import (
    COLUMNS,
    REQUIRED_COLUMNS,
    ImportFileError,
    check_header,
)
from members.services.credit_import.status import transition
from members.services.credit_import.writing import ImportWriter
from portal.celery import task

__all__ = [
    "COLUMNS",
    "MEMBER_MAX_ROWS",
    "REQUIRED_COLUMNS",
    "ImportFileError",
    "account_invitations_send",
    "check_header",
    "credit_import_create",
    "credit_import_process",
    "credit_import_queue",
    "credit_import_start",
]

logger = logging.getLogger(__name__)


def credit_import_create(
    *, scope: str, uploaded_by: User, upload: "File[bytes]", member: MemberProfile | None = None
) -> CreditImport:
    """Store an uploaded CSV privately (under a random name) as a new, queued import."""
    original_name = (upload.name or "credits.csv").rsplit("/", 1)[-1][:255]
    credit_import = CreditImport(scope=scope, uploaded_by=uploaded_by, member=member, original_name=original_name)
    credit_import.file.save("credits.csv", upload, save=False)
    credit_import.save()
    return credit_import


def credit_import_queue(*, credit_import: CreditImport, site_url: str) -> None:
    """Hand the import to a Celery worker once the row is committed."""
    task("members.credit_import_run").delay_on_commit(import_id=credit_import.pk, site_url=site_url)


def credit_import_start(
    *, scope: str, uploaded_by: User, upload: "File[bytes]", site_url: str, member: MemberProfile | None = None
) -> CreditImport:
    """Store an upload as a new import and start it, the way the import pages do.

    A member's own file is small (at most MEMBER_MAX_ROWS rows), so it is checked and
    written here and now; a roster is queued for a Celery worker once its row is committed.
    `site_url` is where invitation links point.
    """
    if scope == ImportScope.MEMBER:
        credit_import = credit_import_create(scope=scope, uploaded_by=uploaded_by, upload=upload, member=member)
        credit_import_process(import_id=credit_import.pk, site_url=site_url)
        return credit_import
    with transaction.atomic():
        credit_import = credit_import_create(scope=scope, uploaded_by=uploaded_by, upload=upload, member=member)
        credit_import_queue(credit_import=credit_import, site_url=site_url)
    return credit_import


def credit_import_process(*, import_id: int, site_url: str, on_progress: Progress | None = None) -> CreditImport | None:
    """Check, then (when every row is fine) write one queued import; None if it was not queued.

    Safe to call twice for one import: only the call that moves it from QUEUED to RUNNING
    works on it. An unexpected exception marks the import CRASHED (nothing is written) and
    is logged, not raised. New accounts are invited by e-mail after commit.
    """
    if not (
        transition(import_id, ImportStatus.QUEUED, ImportStatus.RUNNING)
        or transition(import_id, ImportStatus.RUNNING, ImportStatus.RUNNING)
    ):
        return None
    credit_import = CreditImport.objects.select_related("member__user").get(pk=import_id)
    try:
        checker = ImportChecker(credit_import, on_progress=on_progress)
        checker.check()
        if checker.error_count:
            transition(
                import_id,
                ImportStatus.RUNNING,
                ImportStatus.FAILED,
                errors=checker.errors,
                error_count=checker.error_count,
            )
        else:
            ImportWriter(checker).write(site_url=site_url)
    except ImportFileError as error:
        transition(
            import_id,
            ImportStatus.RUNNING,
            ImportStatus.FAILED,
            errors=[{"line": error.line, "reason": error.message}],
            error_count=1,
        )
    except Exception:
        logger.exception("Credit import %s crashed", import_id)
        reason = (
            "The import stopped because of an internal error; nothing was imported. The union office has been told."
        )
        transition(
            import_id,
            ImportStatus.RUNNING,
            ImportStatus.CRASHED,
            error_count=1,
            errors=[{"line": None, "reason": reason}],
        )
    credit_import.refresh_from_db()
    return credit_import
