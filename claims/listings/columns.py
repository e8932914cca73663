"""What a row's loose columns say: a year or a number written any way, and the medium they imply."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from claims.listings.text import YEAR_WORD
from claims.matching import BOOK, FILM_TV

_DIGITS = re.compile(r"\d+")
_FILM_TV_IDENTIFIERS = frozenset({"imdb_id", "eidr", "isan", "series_imdb_id"})


def year_from(value: Any) -> int | None:
    """A year column: 2019, "2019", "circa 2019", "2019-05-03"; None when it holds no year."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    if len(value) == 4 and value.isdigit():
        return int(value)
    match = YEAR_WORD.search(str(value))
    return int(match.group(1)) if match else None


def number_from(value: Any) -> int | None:
    """A season or episode column: 2, "2", "S02", "Episode 5"; None when it holds no number."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    if value.isdigit():
        return int(value)
    match = _DIGITS.search(str(value))
    return int(match.group(0)) if match else None


def inferred_medium(identifiers: Mapping[str, str], *, book_name: bool, episodic: bool) -> str:
    """What a row is when the training set does not say: a book by its file name or ISBN, film or
    TV by its identifiers or episode columns, otherwise unknown ("")."""
    if book_name or "isbn" in identifiers:
        return BOOK
    if episodic or not _FILM_TV_IDENTIFIERS.isdisjoint(identifiers):
        return FILM_TV
    return ""
