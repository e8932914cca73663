"""Credits and manifest entries prepared once for all their comparisons.

`_Form` is one title ready to compare, `IndexedEntry` the index's compact copy of a manifest
entry, `_CreditView` a credit with its titles, series and names worked out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from claims.matching.keys import _compact, _lean_keys, record_keys
from claims.matching.names import name_tokens
from claims.matching.records import BOOK, MEDIA_MEDIUM, WORK_TYPE_MEDIUM, CreditRecord, ManifestRecord
from claims.matching.titles import EXTRA_WORK, FILLER_WORDS, LEADING_ARTICLES, canonical_title
from members.identifiers import NORMALIZERS


class _Form:
    """One title prepared for comparison: its compact keys, numbers and significant words."""

    __slots__ = (
        "alternate",
        "canonical",
        "extra",
        "full",
        "loose",
        "main",
        "main_loose",
        "numbers",
        "significant",
        "significant_text",
        "subtitle",
        "subtitle_numbers",
        "text",
    )

    def __init__(self, text: str, canonical: str, alternate: bool):
        self.text = text
        self.canonical = canonical
        self.alternate = alternate
        tokens = canonical.split()
        if ":" in tokens:
            cut = tokens.index(":")
            main, subtitle = tokens[:cut], tokens[cut + 1 :]
            words = main + subtitle
            if len(main) > 1 and main[-1] == "or":
                main = main[:-1]  # "Dr. Strangelove or: How I Learned..."
        else:
            main, subtitle = tokens, []
            words = main
        self.full = "".join(words)
        self.loose = "".join(words[1:]) if len(words) > 1 and words[0] in LEADING_ARTICLES else ""
        self.main = "".join(main) if subtitle and main else ""
        self.main_loose = "".join(main[1:]) if self.main and len(main) > 1 and main[0] in LEADING_ARTICLES else ""
        self.subtitle = " ".join(subtitle)
        numbers = [word for word in words if word[0].isdigit()]
        self.numbers = tuple(sorted(numbers)) if numbers else ()
        # A number in the subtitle marks an instalment ("Part 2"); "Part 1" is the original,
        # which listings often give without the number.
        self.subtitle_numbers = any(word[0].isdigit() and word not in ("1", "1st") for word in subtitle)
        self.extra = bool(subtitle) and EXTRA_WORK.match(self.subtitle) is not None
        significant = tuple(word for word in words if word not in FILLER_WORDS) or tuple(words)
        self.significant = significant
        self.significant_text = " ".join(significant)

    def index_keys(self) -> set[str]:
        return {key for key in (self.full, self.loose, self.main, self.main_loose) if key}


_YEARS = {year: year for year in range(1400, 2200)}  # one int object per year across the index


def _normalise_identifiers(identifiers: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for scheme, value in identifiers.items():
        if not value:
            continue
        normaliser = NORMALIZERS.get(scheme)
        if normaliser is None:
            out[scheme] = str(value).strip()
            continue
        try:
            out[scheme] = normaliser(str(value))
        except Exception:  # a malformed id on a credit cannot decide anything
            continue
    return out


class IndexedEntry:
    """The index's compact copy of a manifest entry: what scoring needs, nothing else.

    A million of these live in memory at once, so single titles are kept as plain strings,
    identifiers as a flat tuple and TV details only on TV entries; the properties give the
    usual shapes back for the few entries that are scored.
    """

    __slots__ = ("_creators", "_displays", "_ids", "_titles", "_tv", "entry_id", "is_episode", "medium", "year")

    def __init__(self, record: ManifestRecord, title_keys: list[tuple[list[str], tuple[str, ...]]] | None = None):
        keys = record.keys or record_keys(record)
        self.entry_id = record.entry_id
        year = record.year
        self.year = _YEARS.get(year, year) if year else None
        medium = record.medium or keys.get("medium")
        self.medium = MEDIA_MEDIUM.get(medium, "") if medium else ""
        titles = keys["titles"]
        if title_keys is None:
            title_keys = [_lean_keys(canonical) if canonical else ([""], ()) for canonical in titles]
        # The compact keys (the same string objects as the index's dict keys), not the
        # canonical forms: those are remade from the displayed titles for the few entries scored.
        compact = [keys_and_words[0][0] for keys_and_words in title_keys]
        self._titles = compact[0] if len(compact) == 1 else tuple(compact)
        self._displays = (record.title, *record.alternate_titles) if record.alternate_titles else record.title
        creators = keys.get("creators")
        self._creators = (
            (tuple(tuple(name.split()) for name in creators if name), tuple(record.creators)) if creators else None
        )
        flat: tuple[str, ...] = ()
        identifiers = record.identifiers
        if identifiers:
            if len(identifiers) == 1:
                [(scheme, value)] = identifiers.items()
                flat = (scheme, value) if value else ()
            else:
                flat = tuple(part for scheme, value in identifiers.items() if value for part in (scheme, value))
        series_id = keys.get("series_imdb_id")
        if series_id and "series_imdb_id" not in flat:
            flat += ("series_imdb_id", series_id)
        self._ids = flat or None
        series = keys.get("series")
        if series or record.season is not None or record.episode is not None:
            self._tv: tuple[tuple[str, ...], str, int | None, int | None] | None = (
                tuple(series) if series else (),
                record.series if series else "",
                record.season,
                record.episode,
            )
        else:
            self._tv = None
        self.is_episode = (
            record.season is not None
            or record.episode is not None
            or bool(series and _compact(titles[0]) != _compact(series[0]))
            or bool(series_id)
        )

    @property
    def titles(self) -> tuple[str, ...]:
        return (self._titles,) if isinstance(self._titles, str) else self._titles

    @property
    def displays(self) -> tuple[str, ...]:
        return (self._displays,) if isinstance(self._displays, str) else self._displays

    @property
    def creators(self) -> tuple[tuple[str, ...], ...] | None:
        return self._creators[0] if self._creators else None

    @property
    def creator_displays(self) -> tuple[str, ...]:
        return self._creators[1] if self._creators else ()

    @property
    def identifiers(self) -> dict[str, str] | None:
        flat = self._ids
        return dict(zip(flat[::2], flat[1::2], strict=True)) if flat else None

    @property
    def series(self) -> tuple[str, ...] | None:
        return (self._tv[0] or None) if self._tv else None

    @property
    def series_display(self) -> str:
        return self._tv[1] if self._tv else ""

    @property
    def season(self) -> int | None:
        return self._tv[2] if self._tv else None

    @property
    def episode(self) -> int | None:
        return self._tv[3] if self._tv else None

    def forms(self) -> list[_Form]:
        forms = []
        for index, display in enumerate(self.displays):
            canonical = canonical_title(display)
            if canonical:
                forms.append(_Form(display, canonical, index > 0))
        return forms

    def series_forms(self) -> list[_Form]:
        return [_Form(self.series_display, canonical, False) for canonical in self.series or ()]


_TRAILING_PARENTHESIS = re.compile(r"^(?P<head>.*\S)\s*[(\[](?P<inner>[^()\[\]]+)[)\]]\s*$")
_YEAR_NOTE = re.compile(r"^\s*(1[89]\d\d|20\d\d)\s*$")
_SERIES_NOTE = re.compile(
    r"#\s*\d|\b(?:book|vol(?:ume)?|part)\s*\d|\b(?:trilogy|series|saga|cycle|chronicles)\b", re.IGNORECASE
)


def _credit_titles(credit: CreditRecord) -> list[tuple[str, bool]]:
    """The titles a credit is known by. Members sometimes type a year or a book series in
    parentheses ("The Quiet Shore (Shore Trilogy, #2)"); the title without it counts too."""
    titles = [(credit.title, False)] + [(text, True) for text in credit.alternate_titles if text]
    match = _TRAILING_PARENTHESIS.match(credit.title or "")
    if match:
        inner = match.group("inner")
        titles.append((match.group("head"), False))
        if not _YEAR_NOTE.match(inner) and not _SERIES_NOTE.search(inner):
            titles.append((inner.removeprefix("a.k.a.").removeprefix("aka").strip(), True))
    return titles


class _CreditView:
    """A credit prepared once for all its comparisons."""

    __slots__ = (
        "_names",
        "composite_forms",
        "creator_rule",
        "credit",
        "films_only",
        "forms",
        "identifiers",
        "is_episode",
        "is_series",
        "medium",
        "series_forms",
        "title_keys",
        "year",
    )

    def __init__(self, credit: CreditRecord):
        self.credit = credit
        seen: set[str] = set()
        self.forms = []
        for text, alternate in _credit_titles(credit):
            canonical = canonical_title(text)
            if canonical and canonical not in seen:
                seen.add(canonical)
                self.forms.append(_Form(text, canonical, alternate))
        work_type = str(credit.work_type or "")
        self.is_episode = work_type == "tv_episode" or bool(
            credit.series_title and (credit.season is not None or credit.episode is not None)
        )
        self.is_series = work_type == "tv_series"
        series_title = credit.series_title or ""
        parenthesis = _TRAILING_PARENTHESIS.match(series_title)
        if parenthesis and _YEAR_NOTE.match(parenthesis.group("inner")):
            series_title = parenthesis.group("head")  # "Night Harbor (2019)"
        series_canonical = canonical_title(series_title) if series_title else ""
        self.series_forms = [_Form(credit.series_title, series_canonical, False)] if series_canonical else []
        self.composite_forms = []
        if self.is_episode and series_canonical:
            # Listings without a series column write "Night Harbor: The Lighthouse".
            if credit.title and canonical_title(credit.title) != series_canonical:
                self.forms = [form for form in self.forms if form.full != self.series_forms[0].full]
                text = f"{credit.series_title}: {credit.title}"
                self.composite_forms.append(_Form(text, canonical_title(text), False))
            else:
                self.forms = []  # the credit names only the series; it has no episode title
        self._names: list[tuple[str, ...]] | None = None
        self.identifiers = _normalise_identifiers(credit.identifiers) if credit.identifiers else {}
        self.year = credit.year or None
        self.medium = WORK_TYPE_MEDIUM.get(work_type, "")
        category, job = str(credit.category or ""), str(credit.job or "")
        self.creator_rule = (
            self.medium == BOOK
            or work_type == "screenplay"
            or category == "writer"
            or job in {"director", "author", "written_by", "screenplay_by", "story_by", "teleplay_by"}
            or (not category and not job)
        )
        self.films_only = bool(self.year) and not (self.is_episode or self.is_series) and self.medium != BOOK
        self.title_keys = {form.full for form in self.forms}

    @property
    def names(self) -> list[tuple[str, ...]]:
        """The member's names as words; worked out only when a listing names creators."""
        if self._names is None:
            self._names = [
                tokens
                for tokens in dict.fromkeys(name_tokens(name) for name in self.credit.member_names if name)
                if tokens
            ]
        return self._names
