"""A member's decision on a match. Remembered by the entry's fingerprint so it
survives re-matching and new versions of the manifest."""

from django.db import transaction
from django.utils import timezone

from claims.enums import MatchStatus
from claims.models import Match, MatchDecision


@transaction.atomic
def match_decide(*, match: Match, decision: str) -> Match:
    if decision not in {MatchStatus.CONFIRMED, MatchStatus.DISMISSED}:
        raise ValueError(f"Unknown decision {decision!r}")
    MatchDecision.objects.update_or_create(
        credit_id=match.credit_id,
        training_set_id=match.training_set_id,
        entry_fingerprint=match.entry.fingerprint,
        defaults={"decision": decision},
    )
    match.status = decision
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "decided_at"])
    return match
