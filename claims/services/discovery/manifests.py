"""Manifests: the one place a manifest's load job changes state.

`manifest_transition` checks the move against ALLOWED_TRANSITIONS and updates the row only if
it is still in the state the caller saw (its status and attempt number: a restarted load changes
only the attempt), so a staff cancel, the running load and a redelivered job can never both make
a move from the same state. Each state's timestamp is set here.
"""

from django.utils import timezone

from claims.enums import ManifestStatus as S
from claims.models import Manifest

# from -> the states it may move to.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.QUEUED: {S.LOADING, S.CANCELLED},
    # LOADING -> LOADING: a redelivered job (its worker died) starts the load again from a clean slate.
    S.LOADING: {S.LOADING, S.ACTIVE, S.FAILED, S.CANCELLED},
    # A newer version has become the training set's current manifest.
    S.ACTIVE: {S.SUPERSEDED},
}
STARTED = {S.LOADING}
FINISHED = {S.ACTIVE, S.FAILED, S.CANCELLED}


def manifest_transition(*, manifest: Manifest, to: str, **fields: object) -> bool:
    """Move `manifest` from the status it has in memory to `to`, with `fields` in the same update.

    False, and nothing written, when the row has moved on since the caller read it (someone else
    made a move first). A move missing from ALLOWED_TRANSITIONS is a bug: ValueError. On success
    the object in memory is updated too.
    """
    old = manifest.status
    if to not in ALLOWED_TRANSITIONS.get(old, set()):
        raise ValueError(f"A manifest cannot go from {old} to {to}")
    now = timezone.now()
    fields["status"] = to
    if to in STARTED:
        fields["started_at"] = now
    if to in FINISHED:
        fields["finished_at"] = now
    seen = Manifest.objects.filter(pk=manifest.pk, status=old, attempts=manifest.attempts)
    if seen.update(**fields) != 1:
        return False
    manifest.refresh_from_db(fields=list(fields))
    return True
