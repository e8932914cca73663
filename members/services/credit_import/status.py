"""An import's status: the allowed moves, each a conditional update that only one worker wins."""

import datetime
from typing import Any

from django.utils import timezone

from members.enums import ImportStatus
from members.models import CreditImport

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ImportStatus.QUEUED: {ImportStatus.RUNNING},
    # RUNNING -> RUNNING restarts an import whose worker died (see credit_import_process).
    ImportStatus.RUNNING: {ImportStatus.RUNNING, ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CRASHED},
}
# An import still RUNNING this long after it started was left by a worker that died: the
# write is one transaction, so nothing of it was committed and it can start again.
STALE_RUNNING_AFTER = datetime.timedelta(minutes=15)


def transition(import_id: int, old: str, new: str, **fields: Any) -> bool:
    """Move an import from `old` to `new`; False when it is no longer in `old` (someone else
    has moved it), so two workers can never both run one import."""
    if new not in ALLOWED_TRANSITIONS.get(old, set()):
        raise ValueError(f"An import cannot go from {old} to {new}")
    stamp = "started_at" if new == ImportStatus.RUNNING else "finished_at"
    rows = CreditImport.objects.filter(pk=import_id, status=old)
    if old == new == ImportStatus.RUNNING:
        rows = rows.filter(started_at__lt=timezone.now() - STALE_RUNNING_AFTER)
    updated = rows.update(status=new, **{stamp: timezone.now()}, **fields)
    return updated == 1
