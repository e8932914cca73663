"""A shortcut for the commonest row, field for field what the long way gives.

Most rows of most listings are a plain title, perhaps with a year and a clean IMDb id. Parsing
them the long way (rows.record_from_row_in_full) costs more than the rest of their ingestion, so
record_from_row tries this first; tests/claims/discovery/test_listing_fast_paths.py holds the
shortcut to the long way's answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from claims.listings.columns import inferred_medium, year_from
from claims.listings.film_tv import looks_numbered, mentions_aka
from claims.matching import BOOK, MEDIA_MEDIUM, ManifestRecord, record_keys
from members.identifiers import is_clean_imdb_id


def plain_title_record(
    *,
    title: str,
    year: Any,
    identifiers: Mapping[str, str] | None,
    identifier: str | Iterable[str],
    raw_title: str | None,
    entry_id: Any,
    title_format: str,
    medium: str,
) -> ManifestRecord | None:
    """What record_from_row makes of a title of plain ASCII words and numbers (no quotes, groups,
    file extension, episode number or alternate title), perhaps a year and a clean IMDb id, and
    no creators, series or episode columns (the caller checks those). None for any other row."""
    plain = title.replace(" ", "")
    if (
        not (plain.isascii() and plain.isalnum())
        or "  " in title
        or title[0] == " "
        or title[-1] == " "
        or (not plain.isalpha() and looks_numbered(title))
    ):
        return None
    medium = MEDIA_MEDIUM.get(medium, "") if medium else ""
    if (medium == BOOK and title_format == "auto") or mentions_aka(title):
        return None  # a title in a book corpus without creators is a file name
    found = dict(identifiers) if identifiers else {}
    if identifier:
        single = (
            identifier
            if isinstance(identifier, str)
            else (identifier[0] if isinstance(identifier, (list, tuple)) and len(identifier) == 1 else None)
        )
        if not is_clean_imdb_id(single):
            return None
        found.setdefault("imdb_id", single.lower())
    record = ManifestRecord(
        # Only the fields this row fills (the others' defaults are the long way's values): each
        # keyword argument costs time, and this runs for most rows.
        entry_id=entry_id,
        title=title,
        year=year_from(year) or None,
        identifiers=found,
        medium=medium or inferred_medium(found, book_name=False, episodic=False),
        raw_title=raw_title if raw_title is not None else title,
    )
    record.keys = record_keys(record)
    return record
