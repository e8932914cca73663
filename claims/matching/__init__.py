"""Find the manifest entries that are members' works.

A training set's manifest lists titles the way its makers wrote them; members
register credits the way they remember them. Matching reduces both sides to
comparison keys (`canonical_title` for titles, `name_tokens` for people), joins
them through an `EntryIndex` (a dict per key, plus small blocks for fuzzy
comparison, so the cost grows with the manifest rather than with credits x
entries) and scores every candidate pair with the rules in `score_pair`.

Nothing here touches the database: the claims services feed `CreditRecord`s
and `ManifestRecord`s in and store the `MatchResult`s that come out. Keys are
computed once per entry at ingestion (`record_keys`) and stored with it, so the
index can be rebuilt from stored rows without parsing titles again.

The package is split by concern: `records` (what goes in and out, thresholds),
`titles` and `names` (comparison forms), `keys` (what an entry is stored and indexed
by), `prepared` (credits and entries ready to compare), `scoring` (the rules below)
and `index` (`EntryIndex`, `find_matches`).

Scores run from 0 to 100. Members see matches from `DISPLAY_THRESHOLD`;
`find_matches` also yields weaker ones from `REVIEW_THRESHOLD` so staff can
look at them. Rules, in the order they decide:

1. Identifiers: the same IMDb id, EIDR, ISAN or ISBN is a match (100) whatever
   the titles say; two different ids of one scheme mean two works (an ISBN
   names an edition, so a different ISBN only holds the match back for review).
2. The kind of work: a book credit never matches a film listing and so on.
3. TV: episodes match on series plus season and episode (or episode title).
4. Titles: normalised titles equal, or equal after moving or dropping a
   leading article, or via an alternate title, or main titles equal when only
   one side has a subtitle, or similar enough (fuzzy) with every word close.
5. Creators: where a listing names creators, a writer's, director's or
   author's credit matches only if the member is one of them.
6. Years: equal or one apart (release vs production year); further apart is a
   remake or another work. Fuzzy and subtitle matches need the year.
"""

from claims.matching.index import EntryIndex, find_matches, gc_paused
from claims.matching.keys import keys_from_stored, record_keys, stored_keys
from claims.matching.names import FULL_NAME, INITIALS, NAME_PARTICLES, SURNAME_ONLY, name_match, name_tokens
from claims.matching.prepared import IndexedEntry
from claims.matching.records import (
    BOOK,
    DISPLAY_THRESHOLD,
    FILM_TV,
    FUZZY_MIN_RATIO,
    FUZZY_MIN_RATIO_WITH_CREATOR,
    IDENTIFIER_LABELS,
    MEDIA_MEDIUM,
    REVIEW_THRESHOLD,
    WORK_TYPE_MEDIUM,
    CreditRecord,
    ManifestRecord,
    MatchResult,
)
from claims.matching.scoring import score_pair
from claims.matching.titles import (
    EXTRA_WORK,
    FILLER_WORDS,
    LEADING_ARTICLES,
    canonical_title,
    fold_text,
    search_key,
)

__all__ = [
    "BOOK",
    "DISPLAY_THRESHOLD",
    "EXTRA_WORK",
    "FILLER_WORDS",
    "FILM_TV",
    "FULL_NAME",
    "FUZZY_MIN_RATIO",
    "FUZZY_MIN_RATIO_WITH_CREATOR",
    "IDENTIFIER_LABELS",
    "INITIALS",
    "LEADING_ARTICLES",
    "MEDIA_MEDIUM",
    "NAME_PARTICLES",
    "REVIEW_THRESHOLD",
    "SURNAME_ONLY",
    "WORK_TYPE_MEDIUM",
    "CreditRecord",
    "EntryIndex",
    "IndexedEntry",
    "ManifestRecord",
    "MatchResult",
    "canonical_title",
    "find_matches",
    "fold_text",
    "gc_paused",
    "keys_from_stored",
    "name_match",
    "name_tokens",
    "record_keys",
    "score_pair",
    "search_key",
    "stored_keys",
]
