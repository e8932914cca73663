"""The rows of the match export. Whoever writes them as CSV guards every cell (portal.spreadsheets)."""

from collections.abc import Iterator, Sequence

from claims.models import Match, TrainingSet

MATCH_EXPORT_HEADER = [
    "member email",
    "credit title",
    "credit year",
    "manifest row",
    "manifest title as written",
    "score",
    "method",
    "status",
]


def match_export_rows(*, training_set: TrainingSet) -> Iterator[Sequence[object]]:
    """Header, then every match in the set's current manifest, in manifest order."""
    yield MATCH_EXPORT_HEADER
    if training_set.current_manifest_id is None:
        return  # no listing loaded yet, so no matches
    matches = (
        Match.objects.filter(training_set=training_set, entry__manifest_id=training_set.current_manifest_id)
        .select_related("credit__member__user", "credit__work", "entry")
        .order_by("entry__row_number", "credit__member__user__email")
    )
    for match in matches.iterator(chunk_size=2000):
        yield [
            match.credit.member.user.email,
            match.credit.work.title,
            match.credit.work.year,
            match.entry.row_number,
            match.entry.raw_title,
            match.score,
            match.method,
            match.status,
        ]
