"""One manifest row -> a ManifestRecord with its comparison keys.

A row brings a title in one of the listing shapes (film_tv, books) and columns around it: year,
creators, identifiers, series, season, episode. `record_from_row` takes them as keyword columns,
`parse_manifest_row` as a row dict. A malformed identifier is dropped with a note, never fatal:
the title still matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from claims.listings.books import looks_like_book_filename, parse_book_filename
from claims.listings.columns import inferred_medium, number_from, year_from
from claims.listings.creators import split_creators
from claims.listings.fast_paths import plain_title_record
from claims.listings.film_tv import parse_film_title, peel_trailing_groups
from claims.matching import BOOK, MEDIA_MEDIUM, ManifestRecord, record_keys
from members.identifiers import detect_and_normalize, is_clean_imdb_id

_ID_SEPARATOR = re.compile(r"\s*[;,|]\s*")


def record_from_row(
    *,
    title: str,
    year: Any = None,
    creators: str | Iterable[str] | None = "",
    identifiers: Mapping[str, str] | None = None,
    identifier: str | Iterable[str] = "",
    series: str = "",
    season: Any = None,
    episode: Any = None,
    raw_title: str | None = None,
    entry_id: Any = None,
    title_format: str = "auto",
    medium: str = "",
) -> ManifestRecord:
    """One manifest row -> a ManifestRecord with its comparison keys (`record.keys`).

    `identifiers` are ids already normalised (scheme -> value); `identifier` is raw text
    (one id, several separated by ';', or a list) that is detected and normalised here.
    `title_format` is "film", "book_filename" or "auto" (a file name with an ebook extension
    or a path, or any title in a book corpus without a creators column, is a file name).
    `medium` is what the training set contains: claims.enums.Media values, "book" or "film_tv".
    """
    if (
        not creators
        and not series
        and season in (None, "")
        and episode in (None, "")
        and title_format != "book_filename"
    ):
        record = plain_title_record(
            title=title,
            year=year,
            identifiers=identifiers,
            identifier=identifier,
            raw_title=raw_title,
            entry_id=entry_id,
            title_format=title_format,
            medium=medium,
        )
        if record is not None:
            return record
    return record_from_row_in_full(
        title=title,
        year=year,
        creators=creators,
        identifiers=identifiers,
        identifier=identifier,
        series=series,
        season=season,
        episode=episode,
        raw_title=raw_title,
        entry_id=entry_id,
        title_format=title_format,
        medium=medium,
    )


def record_from_row_in_full(
    *,
    title: str,
    year: Any,
    creators: str | Iterable[str] | None,
    identifiers: Mapping[str, str] | None,
    identifier: str | Iterable[str],
    series: str,
    season: Any,
    episode: Any,
    raw_title: str | None,
    entry_id: Any,
    title_format: str,
    medium: str,
) -> ManifestRecord:
    """record_from_row the long way, for any row (and the reference its shortcut is tested against)."""
    medium = MEDIA_MEDIUM.get(medium, "") if medium else ""
    creators_given = split_creators(creators) if creators else []
    if title_format == "auto":
        book_name = (("." in title or "/" in title) and looks_like_book_filename(title)) or (
            medium == BOOK and not creators_given
        )
    else:
        book_name = title_format == "book_filename"
    parsed = parse_book_filename(title) if book_name else parse_film_title(title)
    notes = list(parsed.notes)

    found = _row_identifiers(identifiers, identifier, notes)
    if parsed.isbn:
        found.setdefault("isbn", parsed.isbn)
    series_name = " ".join(series.split()) if series else ""  # clean
    if is_clean_imdb_id(series_name):
        found.setdefault("series_imdb_id", series_name.lower())  # SeriesIMDBParent: the series' id
        series_name = ""
    series_name = series_name or parsed.series
    if series_name.endswith((")", "]")):
        # "Night Harbor (2019)": the year tells a reboot apart; the name is what matches.
        series_name = peel_trailing_groups(series_name)[0] or series_name

    column_year = year_from(year)
    if column_year and parsed.year and abs(column_year - parsed.year) > 1:
        notes.append(f"year column {column_year} differs from the year in the title ({parsed.year})")
    episodic = bool(series_name or season not in (None, "") or episode not in (None, ""))
    record = ManifestRecord(
        entry_id=entry_id,
        title=parsed.title,
        alternate_titles=parsed.alternate_titles,
        year=column_year or parsed.year,
        creators=tuple(creators_given) if creators_given else parsed.creators,
        identifiers=found,
        series=series_name,
        season=parsed.season if season is None or season == "" else number_from(season),
        episode=parsed.episode if episode is None or episode == "" else number_from(episode),
        medium=medium or inferred_medium(found, book_name=book_name, episodic=episodic),
        series_note=parsed.series_note,
        raw_title=raw_title if raw_title is not None else title,
        notes=tuple(notes) if notes else (),
    )
    record.keys = record_keys(record)
    return record


def _row_identifiers(
    identifiers: Mapping[str, str] | None, identifier: str | Iterable[str], notes: list[str]
) -> dict[str, str]:
    """The ids given normalised, then those read from raw text (the first of a scheme wins)."""
    found = dict(identifiers) if identifiers else {}
    if identifier:
        raw_ids = [identifier] if isinstance(identifier, str) else list(identifier)
        single = raw_ids[0] if len(raw_ids) == 1 else None
        if is_clean_imdb_id(single):
            found.setdefault("imdb_id", single.lower())  # the usual case, without detection
        elif any(raw_ids):
            for scheme, value in _identifiers_from(raw_ids, notes).items():
                found.setdefault(scheme, value)
    return found


def _identifiers_from(raw_values: Iterable[str], notes: list[str]) -> dict[str, str]:
    """Raw identifier text, perhaps several ids separated by ";", "," or "|" -> scheme -> id.
    An id none of the schemes reads is left out with a note."""
    identifiers: dict[str, str] = {}
    for raw in raw_values:
        text = str(raw or "").strip()
        for value in _ID_SEPARATOR.split(text) if ";" in text or "," in text or "|" in text else (text,):
            if not value:
                continue
            if is_clean_imdb_id(value):
                identifiers.setdefault("imdb_id", value.lower())
            elif value.isdecimal() and len(value) <= 8:
                # Subtitle exports give IMDb ids as bare numbers (IDMovieImdb = 111161).
                identifiers.setdefault("imdb_id", f"tt{int(value):07d}")
            else:
                try:
                    scheme, normalised = detect_and_normalize(value)
                except ValidationError:
                    notes.append(f"identifier {value[:40]!r} not recognised; ignored")
                    continue
                identifiers.setdefault(scheme, normalised)
    return identifiers


def parse_manifest_row(
    row: Mapping[str, Any], *, entry_id: Any = None, title_format: str = "auto", medium: str = ""
) -> ManifestRecord:
    """A row dict (title, year, creators, identifier, series, season, episode; also imdb_id,
    isbn, eidr or raw_title when the listing has them) -> ManifestRecord. See record_from_row."""
    get = row.get
    raw_ids = [str(value) for value in (get("identifier"), get("imdb_id"), get("isbn"), get("eidr")) if value]
    return record_from_row(
        title=str(get("title") or ""),
        year=get("year"),
        creators=get("creators") or "",
        identifier=raw_ids,
        series=str(get("series") or ""),
        season=get("season"),
        episode=get("episode"),
        raw_title=get("raw_title"),
        entry_id=entry_id if entry_id is not None else get("entry_id"),
        title_format=title_format,
        medium=medium or str(get("medium") or ""),
    )
