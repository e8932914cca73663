"""What every listing shape shares: the record a parsed title fills, and a few text helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class ParsedTitle:
    """What one raw title string says. Fields a format does not carry stay empty.

    Built with keyword arguments; not kw_only, which makes every construction slower (each
    missing keyword-only default is a dict lookup) and titles are parsed by the million.
    """

    title: str
    alternate_titles: tuple[str, ...] = ()
    year: int | None = None
    creators: tuple[str, ...] = ()
    series: str = ""
    season: int | None = None
    episode: int | None = None
    series_note: str = ""
    isbn: str = ""
    notes: tuple[str, ...] = ()


# A year in a group at the end of a title: "(2019)", "(2004/II)", "(2019–2022)", "(????)".
YEAR_GROUP = re.compile(
    r"^\s*(?:(?P<year>1[4-9]\d\d|2[01]\d\d)(?:\s*/\s*[IVX]+)?(?:\s*[-–]\s*(?:\d{4})?\s*)?|\?{4})\s*$"
)
# A year as a word of its own: "Night.Harbor.2019.1080p", "circa 1999".
YEAR_WORD = re.compile(r"\b(1[4-9]\d\d|2[01]\d\d)\b")
# A book's place in a series: "The Shore Trilogy, #2", "Book 3", "Vol. 2". Shared by the file-name
# parser (a note, not the title) and the name scorer (a note, not a "Last, First" name).
SERIES_NOTE = re.compile(
    r"#\s*\d+(?:\.\d+)?|\b(?:book|bk|vol(?:ume)?|part|episode|no\.?)\s*\d+|\b\d+\s*$|"
    r"\b(?:trilogy|duology|quartet|series|saga|cycle|chronicles|sequence)\b",
    re.IGNORECASE,
)


def clean(text: str) -> str:
    """Runs of whitespace as one space, none at the ends."""
    return " ".join(text.split())


def year_of(digits: str) -> int | None:
    """The year four ASCII digits write, when it is one a title can carry (1400-2199)."""
    if digits.isdigit() and digits.isascii() and 1400 <= int(digits) <= 2199:
        return int(digits)
    return None


def distinct_alternates(alternates: list[str], title: str) -> tuple[str, ...]:
    """Alternate titles once each, in order, without empty ones or the title itself."""
    return tuple(dict.fromkeys(alt for alt in alternates if alt and alt != title)) if alternates else ()
