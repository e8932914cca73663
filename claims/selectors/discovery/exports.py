"""CSV exports of matches. Cells that a spreadsheet would run as a formula are neutralised."""

from collections.abc import Iterator

from claims.models import Match, TrainingSet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
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


def neutralise(value: object) -> str:
    """A manifest is data, never code: prefix a quote so spreadsheets show a formula as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def match_export_rows(*, training_set: TrainingSet) -> Iterator[list[str]]:
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
            neutralise(value)
            for value in [
                match.credit.member.user.email,
                match.credit.work.title,
                match.credit.work.year,
                match.entry.row_number,
                match.entry.raw_title,
                match.score,
                match.method,
                match.status,
            ]
        ]
