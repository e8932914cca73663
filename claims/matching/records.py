"""What goes into the matching engine and what comes out: credits, manifest entries, matches.

Also the thresholds and kinds of material the rules share. Plain data, no logic: the claims
services build these from database rows and store the results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DISPLAY_THRESHOLD = 80
REVIEW_THRESHOLD = 70
# Fuzzy title similarity (rapidfuzz ratio, 0-100) below which two titles are not compared further.
FUZZY_MIN_RATIO = 90
# Books carry the author, which corroborates a looser title (typos in scanned file names).
FUZZY_MIN_RATIO_WITH_CREATOR = 86

BOOK = "book"
FILM_TV = "film_tv"
# The kind of material a credit is, by members.enums.WorkType value. Screenplays are listed
# like films (scripts data sets); audiobooks and games are their own kinds.
WORK_TYPE_MEDIUM = {
    "book": BOOK,
    "feature_film": FILM_TV,
    "short_film": FILM_TV,
    "tv_series": FILM_TV,
    "tv_episode": FILM_TV,
    "screenplay": FILM_TV,
    "commercial": FILM_TV,
    "music_video": FILM_TV,
    "video_game": "game",
    "podcast": "audio",
}
# claims.enums.Media values (what a training set contains) -> the medium of its entries.
MEDIA_MEDIUM = {
    "books_text": BOOK,
    "subtitles": FILM_TV,
    "scripts": FILM_TV,
    "video": FILM_TV,
    "audio": "audio",
    BOOK: BOOK,
    FILM_TV: FILM_TV,
}
IDENTIFIER_LABELS = {"imdb_id": "IMDb id", "eidr": "EIDR id", "isan": "ISAN", "isbn": "ISBN"}


@dataclass(slots=True)
class CreditRecord:
    """One credit of one member, as the engine needs it.

    `member_names` are the member's legal and professional names. `category`
    (members.enums.CreditCategory) and `job` (members.enums.Job) say whether the
    member is a creator of the work: a listing's creators column can only
    confirm or rule out authors, writers and directors, not performers or crew.
    """

    credit_id: Any
    member_id: Any
    title: str
    alternate_titles: tuple[str, ...] | list[str] = ()
    year: int | None = None
    work_type: str = ""
    series_title: str = ""
    season: int | None = None
    episode: int | None = None
    identifiers: Mapping[str, str] = field(default_factory=dict)
    member_names: tuple[str, ...] | list[str] = ()
    category: str = ""
    job: str = ""


@dataclass(slots=True)
class ManifestRecord:
    """One manifest entry, parsed and normalised (see claims.listings.rows.record_from_row).

    `keys` is what `record_keys` returns; stored with the entry it lets the
    index be rebuilt without parsing the title again. `medium` is BOOK, FILM_TV
    or "" when the listing does not say.
    """

    entry_id: Any
    title: str
    alternate_titles: tuple[str, ...] | list[str] = ()
    year: int | None = None
    creators: tuple[str, ...] | list[str] = ()
    identifiers: dict[str, str] = field(default_factory=dict)
    series: str = ""
    season: int | None = None
    episode: int | None = None
    medium: str = ""
    series_note: str = ""
    raw_title: str = ""
    notes: tuple[str, ...] | list[str] = ()
    keys: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class MatchResult:
    credit_id: Any
    entry_id: Any
    score: int
    method: str
    reason: str
