"""Works are shared: two members crediting the same work get the same Work row.

Same work = same identifier (IMDb id, EIDR, ISAN, ISBN), or the same title key,
year and type. An identifier decides over the title: a work found by identifier
is returned even when the title is spelled differently.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.enums import WorkType
from members.models import Work
from members.titles import title_key

IDENTIFIER_FIELDS = ("imdb_id", "eidr", "isan", "isbn")
IDENTIFIER_LABELS = {"imdb_id": "IMDb id", "eidr": "EIDR", "isan": "ISAN", "isbn": "ISBN"}


@dataclass(frozen=True)
class WorkDetails:
    """What a member tells us about a work. Identifiers are already normalised."""

    title: str
    year: int
    work_type: str
    series_title: str = ""
    season: int | None = None
    episode: int | None = None
    identifiers: dict[str, str] = field(default_factory=dict)
    alternate_titles: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return work_key(
            title=self.title,
            work_type=self.work_type,
            series_title=self.series_title,
            season=self.season,
            episode=self.episode,
        )


def work_key(
    *, title: str, work_type: str, series_title: str = "", season: int | None = None, episode: int | None = None
) -> str:
    """The title key that identifies a work with its year and type.

    Episodes are keyed by series, season and episode as well, because many
    series have an episode called "Pilot".
    """
    if work_type == WorkType.TV_EPISODE and series_title:
        return f"{title_key(series_title)} s{season or 0}e{episode or 0} {title_key(title)}"
    return title_key(title)


def _identifier_matches(details: WorkDetails) -> list[Work]:
    works: dict[int, Work] = {}
    for name, value in details.identifiers.items():
        if value:
            for work in Work.objects.filter(**{name: value}):
                works[work.pk] = work
    return list(works.values())


def _fill_missing_identifiers(work: Work, details: WorkDetails) -> None:
    """Add identifiers the work lacks; refuse when one contradicts what is on record."""
    changed = []
    for name, value in details.identifiers.items():
        if not value:
            continue
        current = getattr(work, name)
        if current and current != value:
            raise ValidationError(
                f"“{work}” is already registered with {IDENTIFIER_LABELS[name]} {current}, not {value}. "
                "If yours is a different work, check the title, year and identifier.",
                code="identifier_conflict",
            )
        if not current:
            setattr(work, name, value)
            changed.append(name)
    new_titles = [t for t in details.alternate_titles if t and t not in work.alternate_titles and t != work.title]
    if new_titles:
        work.alternate_titles = [*work.alternate_titles, *new_titles]
        changed.append("alternate_titles")
    if changed:
        work.save(update_fields=changed)


def work_find(details: WorkDetails) -> Work | None:
    """The registered work these details describe, if any (no writes)."""
    by_identifier = _identifier_matches(details)
    if len(by_identifier) > 1:
        listed = ", ".join(str(work) for work in by_identifier)
        raise ValidationError(
            f"These identifiers belong to different registered works ({listed}). Check them.",
            code="identifier_conflict",
        )
    if by_identifier:
        return by_identifier[0]
    return Work.objects.filter(work_type=details.work_type, title_key=details.key, year=details.year).first()


def work_find_or_create(details: WorkDetails) -> Work:
    """Return the shared Work for these details, creating it the first time anyone credits it.

    Safe when two members register the same new work at once: the loser of the
    race reads the winner's row.
    """
    for attempt in range(2):
        try:
            with transaction.atomic():
                work = work_find(details)
                if work is None:
                    work = Work.objects.create(
                        title=details.title.strip(),
                        title_key=details.key,
                        work_type=details.work_type,
                        year=details.year,
                        series_title=details.series_title.strip(),
                        season=details.season,
                        episode=details.episode,
                        alternate_titles=[t for t in details.alternate_titles if t],
                        **{name: value or None for name, value in details.identifiers.items()},
                    )
                else:
                    _fill_missing_identifiers(work, details)
                return work
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")
