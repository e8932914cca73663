"""The manifest index (`EntryIndex`) and `find_matches`, which runs every credit through it."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rapidfuzz import fuzz, process

from claims.matching.keys import _INDEXED_IDENTIFIERS, _block_keys, _lean_keys, record_keys
from claims.matching.prepared import IndexedEntry, _CreditView
from claims.matching.records import BOOK, REVIEW_THRESHOLD, CreditRecord, ManifestRecord, MatchResult
from claims.matching.scoring import _score

# The index's first, cheap look at a fuzzy neighbour (whole canonical titles, articles and all).
_PREFILTER_RATIO = 80


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the index is built or matched against.

    The index holds millions of small containers and no reference cycles, and matching
    makes none either (everything is freed by reference counting). With the collector on,
    it re-scans the whole index again and again as objects are allocated: a third of the
    load time. It is restored, as it was, on the way out.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_PARTITION_AT = 12  # a key shared by more entries is split by year (titles) or season (series)


def _entry_year(entry: IndexedEntry) -> int | None:
    return entry.year


def _entry_season(entry: IndexedEntry) -> int | None:
    return entry.season


class EntryIndex:
    """Manifest entries indexed for matching, built once (entries may be streamed in chunks).

    Exact keys go in a dict (title, title without its leading article, main title without
    the subtitle, each alternate title); episodes are keyed by series. A key many entries
    share ("Home", a long-running series) is split by year or season, so a credit looks only
    at the part that can match. Fuzzy candidates come only from small blocks: entries of the
    same year (±1) whose significant words start alike, or books by an author of the same
    surname whose title starts alike. So a credit is compared with a handful of entries,
    never with the whole manifest.

    `fuzzy_comparisons` counts the similarity computations, `pairs_scored` the pairs the
    rules were applied to: both grow with the number of entries, not with credits x entries.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, Any] = {}
        self._by_series: dict[str, Any] = {}
        self._by_identifier: dict[str, Any] = {}
        # A key holds one entry, a list of entries, or (split by year or season) a dict of lists.
        self._year_blocks: dict[int, dict[str, IndexedEntry | list[IndexedEntry]]] = {}
        self._creator_blocks: dict[str, Any] = {}
        self.entries = 0
        self.fuzzy_comparisons = 0
        self.pairs_scored = 0

    def __len__(self) -> int:
        return self.entries

    @staticmethod
    def _put(
        table: dict[str, Any],
        key: str,
        entry: IndexedEntry,
        part_of: Callable[[IndexedEntry], int | None] = _entry_year,
    ) -> None:
        current = table.get(key)
        if current is None:
            table[key] = entry
        elif type(current) is list:
            if current[-1] is not entry:
                current.append(entry)
                if len(current) > _PARTITION_AT:
                    parts: dict[int | None, list[IndexedEntry]] = {}
                    for item in current:
                        parts.setdefault(part_of(item), []).append(item)
                    table[key] = parts
        elif type(current) is dict:
            bucket = current.setdefault(part_of(entry), [])
            if not bucket or bucket[-1] is not entry:
                bucket.append(entry)
        elif current is not entry:
            table[key] = [current, entry]

    def add(self, record: ManifestRecord) -> None:
        keys = record.keys or record_keys(record)
        title_keys = [_lean_keys(canonical) if canonical else ([""], ()) for canonical in keys["titles"]]
        entry = IndexedEntry(record, title_keys)
        self.entries += 1
        put = self._put
        flat = entry._ids
        if flat:
            by_identifier = self._by_identifier
            for position in range(0, len(flat), 2):
                if flat[position] in _INDEXED_IDENTIFIERS:
                    value = flat[position + 1]
                    if value in by_identifier:
                        put(by_identifier, value, entry)
                    else:
                        by_identifier[value] = entry
        series = entry.series
        if series:
            for canonical in series:
                for key in _lean_keys(canonical)[0]:
                    put(self._by_series, key, entry, _entry_season)
            if entry.is_episode:
                return
        year_blocks = self._year_blocks.setdefault(entry.year, {}) if entry.year else None
        compact = entry.titles
        for position, (lean_keys, significant) in enumerate(title_keys):
            if not significant:
                continue
            lean_keys[0] = compact[position]  # share the entry's string as the dict key
            by_key = self._by_key
            for key in lean_keys:
                if key in by_key:
                    put(by_key, key, entry)
                else:
                    by_key[key] = entry
            if year_blocks is not None:
                for block in _block_keys(significant):
                    block = sys.intern(block)
                    found = year_blocks.get(block)
                    if found is None:
                        year_blocks[block] = entry  # most blocks hold one entry: no list for it
                    elif isinstance(found, list):
                        if found[-1] is not entry:
                            found.append(entry)
                    elif found is not entry:
                        year_blocks[block] = [found, entry]
            if entry._creators:
                for creator in entry._creators[0]:
                    put(self._creator_blocks, f"{creator[-1]} {significant[0][:1]}", entry, _entry_year)

    def add_all(self, records: Iterable[ManifestRecord]) -> EntryIndex:
        with self.loading():
            for record in records:
                self.add(record)
        return self

    @contextmanager
    def loading(self) -> Iterator[EntryIndex]:
        """Wrap a bulk load (`with index.loading(): for chunk …: index.add(…)`): see `gc_paused`."""
        with gc_paused():
            yield self

    @staticmethod
    def _lookup(
        table: dict[str, Any],
        key: str,
        into: dict[IndexedEntry, None],
        parts: tuple[int | None, ...] | None = None,
    ) -> None:
        found = table.get(key)
        if found is None:
            return
        kind = type(found)
        if kind is list:
            for entry in found:
                into[entry] = None
        elif kind is dict:
            for bucket in found.values() if parts is None else (found.get(part) for part in parts):
                for entry in bucket or ():
                    into[entry] = None
        else:
            into[found] = None

    def candidates(self, credit: CreditRecord | _CreditView) -> list[IndexedEntry]:
        """Entries that could be the credit's work: same identifier, same keys, or a fuzzy
        block neighbour whose title is similar enough to be worth scoring."""
        view = credit if isinstance(credit, _CreditView) else _CreditView(credit)
        found: dict[IndexedEntry, None] = {}
        lookup = self._lookup
        for scheme in ("imdb_id", "eidr", "isan", "isbn"):
            value = view.identifiers.get(scheme)
            if value:
                lookup(self._by_identifier, value, found)
        title_keys: set[str] = set()
        for form in view.forms + view.composite_forms:
            title_keys |= form.index_keys()
        series_keys: set[str] = set()
        for form in view.series_forms:
            series_keys |= form.index_keys()
        if view.is_series:
            series_keys |= title_keys
        year = view.year
        # Films two or more years apart are other works (remakes): only nearby years are read.
        years = (year - 1, year, year + 1, None) if view.films_only and year else None
        for key in title_keys:
            lookup(self._by_key, key, found, years)
        seasons = (view.credit.season, None) if view.is_episode and view.credit.season is not None else None
        for key in series_keys:
            lookup(self._by_series, key, found, seasons)
            if view.is_episode:
                lookup(self._by_key, key, found)
        self._fuzzy_candidates(view, found)
        return list(found)

    def _fuzzy_candidates(self, view: _CreditView, found: dict[IndexedEntry, None]) -> None:
        if view.is_episode:
            return
        neighbours: dict[IndexedEntry, None] = {}
        for form in view.forms:
            if view.year:
                keys = _block_keys(form.significant)
                for year in (view.year - 1, view.year, view.year + 1):
                    blocks = self._year_blocks.get(year)
                    if blocks:
                        for block in keys:
                            hit = blocks.get(block)
                            if hit is None:
                                continue
                            if isinstance(hit, list):
                                for entry in hit:
                                    neighbours[entry] = None
                            else:
                                neighbours[hit] = None
            if view.creator_rule and self._creator_blocks:
                for name in view.names:
                    self._lookup(self._creator_blocks, f"{name[-1]} {form.significant[0][:1]}", neighbours)
        if not neighbours:
            return
        # A cheap first look on the compact titles, all neighbours in one rapidfuzz call;
        # the rules decide on the survivors.
        choices: list[str] = []
        owners: list[IndexedEntry] = []
        for entry in neighbours:
            if entry in found:
                continue
            titles = entry._titles
            if type(titles) is str:
                choices.append(titles)
                owners.append(entry)
            else:
                choices += titles
                owners += [entry] * len(titles)
        if not choices:
            return
        for form in view.forms:
            self.fuzzy_comparisons += len(choices)
            for _, _, position in process.extract(
                form.full, choices, scorer=fuzz.ratio, score_cutoff=_PREFILTER_RATIO, limit=None
            ):
                found[owners[position]] = None

    def match(self, credit: CreditRecord, *, min_score: int = REVIEW_THRESHOLD) -> list[MatchResult]:
        view = _CreditView(credit)
        results = []
        year = view.year
        ids = set(view.identifiers.values()) if view.identifiers else None
        numbered = view.is_episode and view.credit.season is not None and view.credit.episode is not None
        for entry in self.candidates(view):
            if (
                view.films_only
                and year
                and entry.year
                and (entry.year - year >= 2 or year - entry.year >= 2)
                and entry.medium != BOOK
                and not entry.is_episode
                and not (ids and entry._ids and not ids.isdisjoint(entry._ids))
            ):
                continue  # a remake or another work, whatever the title: not worth scoring
            if (
                numbered
                and entry._tv
                and entry._tv[3] is not None
                and entry._tv[3] != view.credit.episode
                and not (ids and entry._ids and not ids.isdisjoint(entry._ids))
                and view.title_keys.isdisjoint(entry.titles)
            ):
                continue  # another episode of the series, with another title
            self.pairs_scored += 1
            scored = _score(view, entry)
            if scored is not None and scored[0] >= min_score:
                score, method, reason = scored
                results.append(MatchResult(credit.credit_id, entry.entry_id, score, str(method), reason[:300]))
        results.sort(key=lambda result: -result.score)
        return results


def find_matches(
    credits: Iterable[CreditRecord],
    entries: Iterable[ManifestRecord] | EntryIndex,
    *,
    min_score: int = REVIEW_THRESHOLD,
) -> Iterator[MatchResult]:
    """Every (credit, entry) pair that is the same work, scored; the index is built once.

    Pass an EntryIndex instead of records to reuse one (or to fill it chunk by chunk).
    """
    with gc_paused():
        index = entries if isinstance(entries, EntryIndex) else EntryIndex().add_all(entries)
        for credit in credits:
            yield from index.match(credit, min_score=min_score)
