"""Reads of training sets, manifests and matches."""

from django.db.models import Count, F, Q, QuerySet

from claims.enums import MatchStatus
from claims.matching import search_key
from claims.models import Manifest, ManifestEntry, Match, TrainingSet
from members.identifiers import detect_and_normalize
from members.models import MemberProfile


def training_sets_for_member(*, member: MemberProfile) -> QuerySet[TrainingSet]:
    """Every set, with how many of this member's works its current manifest contains."""
    mine = Q(matches__credit__member=member, matches__entry__manifest=F("current_manifest")) & ~Q(
        matches__status=MatchStatus.DISMISSED
    )
    return TrainingSet.objects.select_related("current_manifest").annotate(
        my_work_count=Count("matches__credit__work", filter=mine, distinct=True)
    )


def current_matches_for_member(*, member: MemberProfile, training_set: TrainingSet | None = None) -> QuerySet[Match]:
    """The member's matches in the current version of each set (not the superseded ones)."""
    matches = (
        Match.objects.filter(
            credit__member=member,
            entry__manifest__current_for__isnull=False,
        )
        .exclude(status=MatchStatus.DISMISSED)
        .select_related("credit__work", "entry", "training_set")
    )
    if training_set is not None:
        matches = matches.filter(training_set=training_set)
    return matches.order_by("training_set__name", "-score", "entry__row_number")


def manifest_search(*, manifest: Manifest, query: str, limit: int = 50) -> list[ManifestEntry]:
    """Entries whose title, alternate title or creators contain the query, or with that identifier."""
    query = query.strip()
    if not query:
        return []
    entries = ManifestEntry.objects.filter(manifest=manifest)
    try:
        scheme, value = detect_and_normalize(query)
    except Exception:
        scheme = None
    if scheme in {"imdb_id", "isbn", "eidr"}:
        found = list(entries.filter(**{scheme: value})[:limit])
        if found:
            return found
    # Normalised as the stored search text is (articles, accents, "II" = "2"), so either spelling finds it.
    key = search_key(query)
    if len(key) < 2:
        return []
    return list(entries.filter(search_text__contains=key).order_by("row_number")[:limit])
