"""The keys a manifest entry is stored and indexed by.

`record_keys` is computed once per entry at ingestion and stored with it; `_lean_keys` and
`_block_keys` turn those into the index's exact-join keys and fuzzy blocks.
"""

from __future__ import annotations

from typing import Any

from claims.matching.names import name_tokens
from claims.matching.records import ManifestRecord
from claims.matching.titles import FILLER_WORDS, LEADING_ARTICLES, _canonical_series, canonical_title


def record_keys(record: ManifestRecord) -> dict[str, Any]:
    """The comparison keys of a manifest entry, to store with it (JSON) and rebuild the index from.

    `titles` are canonical forms of the title then each alternate title (same order),
    `series` the series title's, `creators` the creators' names as words. `title_key`,
    `series_key` and `creators_key` are single strings for fingerprints, and `search_text`
    is what a substring search over titles and creators looks in. Computed once: a record
    that already carries keys (parsed by record_from_row, or loaded from the database)
    returns them.
    """
    if record.keys is not None:
        return record.keys
    title_key = canonical_title(record.title)
    alternates = record.alternate_titles
    titles = [title_key, *map(canonical_title, alternates)] if alternates else [title_key]
    series = _canonical_series(record.series) if record.series else ""
    creators = [" ".join(name_tokens(name)) for name in record.creators] if record.creators else []
    if not alternates and not creators:
        search_text = title_key.replace(" : ", " ") if ":" in title_key else title_key
        if series:  # an episode: its title and its series, once each, the empty one left out
            series_text = series.replace(" : ", " ") if ":" in series else series
            if series_text != search_text:
                search_text = f"{search_text} | {series_text}" if search_text else series_text
    else:
        search_parts = dict.fromkeys([canonical.replace(" : ", " ") for canonical in titles] + creators)
        if series:
            search_parts[series.replace(" : ", " ")] = None
        search_parts.pop("", None)
        search_text = " | ".join(search_parts)
    keys: dict[str, Any] = {
        "title_key": title_key,
        "titles": titles,
        "series": [series] if series else [],
        "series_key": series,
        "creators": creators,
        "creators_key": "; ".join(sorted(filter(None, creators))) if creators else "",
        "search_text": search_text,
    }
    identifiers = record.identifiers
    if identifiers and identifiers.get("series_imdb_id"):
        keys["series_imdb_id"] = identifiers["series_imdb_id"]
    if record.medium:
        keys["medium"] = record.medium
    return keys


# What the index is rebuilt from, as an entry stores it (ManifestEntry.match_keys): its medium,
# canonical titles, canonical series and creators' names as words, and its series' IMDb id, in
# one line of tab-separated fields, several titles or creators separated by "|". Canonical forms
# and name words are made of word characters, spaces and colons only, so neither separator can
# occur in them. Plain text rather than JSON: a million entries are written at ingestion and
# read back for every match run, and splitting a line costs a fraction of encoding and decoding
# JSON (and of PostgreSQL parsing and printing jsonb on the way in and out). Migration 0005 keeps
# its own copy of this format, as migrations must not change when this module does.


def stored_keys(keys: dict[str, Any]) -> str:
    """`record_keys`' output, reduced to what `keys_from_stored` gives back, as one line of text."""
    return "\t".join(
        (
            keys.get("medium", ""),
            "|".join(keys["titles"]),
            "|".join(keys["series"]),
            "|".join(keys["creators"]),
            keys.get("series_imdb_id", ""),
        )
    )


def keys_from_stored(text: str) -> dict[str, Any]:
    """The keys `stored_keys` wrote: titles, series and creators (lists), medium and series_imdb_id
    (only when set), the shape `IndexedEntry` reads from `record_keys`."""
    medium, titles, series, creators, series_imdb_id = text.split("\t")
    keys: dict[str, Any] = {
        "titles": titles.split("|"),
        "series": series.split("|") if series else [],
        "creators": creators.split("|") if creators else [],
    }
    if medium:
        keys["medium"] = medium
    if series_imdb_id:
        keys["series_imdb_id"] = series_imdb_id
    return keys


def _block_keys(significant: tuple[str, ...]) -> tuple[str, ...]:
    """Fuzzy comparisons happen only within blocks: the same year (±1), the same number of
    significant words and the same opening letters. Two keys per title, so that one typo
    anywhere but a word's first letter leaves at least one key intact: the first word's
    first three letters with the second word's first letter, and the other way round, each
    with the last word's first letter (one word: its first three letters and length, and its
    first and last letters)."""
    count = len(significant)
    if count >= 2:
        one, two = significant[0], significant[1]
        last = significant[-1][:1] if count >= 3 else ""
        return f"{count}{one[:3]} {two[:1]}{last}", f"{count}{one[:1]} {two[:3]}{last}"
    if count:
        # One word: a swapped or replaced letter keeps its length, a dropped or doubled one
        # keeps its first and last letters.
        word = significant[0]
        return f"1{word[:3]}{len(word)}", f"1{word[:1]}.{word[-1:]}"
    return ()


def _lean_keys(canonical: str) -> tuple[list[str], tuple[str, ...]]:
    """What `_Form` gives the index (exact-join keys and significant words), made cheaply:
    the index makes these for every entry, the full form only for the few it compares."""
    main_text, separator, subtitle = canonical.partition(" : ")
    main = main_text.split()
    words = main + subtitle.split() if separator else main
    keys = ["".join(words)]
    if len(words) > 1 and words[0] in LEADING_ARTICLES:
        keys.append("".join(words[1:]))
    if separator and main:
        if len(main) > 1 and main[-1] == "or":
            main = main[:-1]
        keys.append("".join(main))
        if len(main) > 1 and main[0] in LEADING_ARTICLES:
            keys.append("".join(main[1:]))
    significant = [word for word in words if word not in FILLER_WORDS] or words
    return keys, tuple(significant)


_INDEXED_IDENTIFIERS = frozenset({"imdb_id", "eidr", "isan", "isbn", "series_imdb_id"})


def _compact(canonical: str) -> str:
    return canonical.replace(":", "").replace(" ", "")
