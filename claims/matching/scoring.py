"""The rules that decide whether a credit and a manifest entry are the same work.

`score_pair` scores one pair; the index (`index.py`) calls `_score` for every candidate it
finds. The rules, in the order they decide, are listed in the package docstring
(claims/matching/__init__.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from claims.enums import MatchMethod
from claims.matching.names import INITIALS, SURNAME_ONLY, name_match
from claims.matching.prepared import IndexedEntry, _CreditView, _Form
from claims.matching.records import (
    BOOK,
    FUZZY_MIN_RATIO,
    FUZZY_MIN_RATIO_WITH_CREATOR,
    IDENTIFIER_LABELS,
    CreditRecord,
    ManifestRecord,
    MatchResult,
)
from claims.matching.titles import _restore_article, fold_text


@dataclass(slots=True)
class _Relation:
    kind: str  # exact, article, subtitle_entry, subtitle_credit, fuzzy
    credit_form: _Form
    entry_form: _Form
    ratio: float = 100.0

    @property
    def alternate(self) -> bool:
        return self.credit_form.alternate or self.entry_form.alternate


_RELATION_RANK = {"exact": 5, "article": 4, "subtitle_entry": 3, "subtitle_credit": 3, "subtitles": 2, "fuzzy": 1}


def _exact_kind(credit: _Form, entry: _Form, *, other_subtitles: bool = False) -> str:
    """How two titles are equal, if they are: "exact", "article" (a leading article moved or
    dropped), "subtitle_entry"/"subtitle_credit" (the same main title, one side adds a
    subtitle), "subtitles" (same main title, different subtitles: only when the caller allows,
    for books whose editions change subtitles) or "". A subtitle with a number ("Part 2")
    makes a sequel, and one naming an extra ("Behind the Scenes") another work."""
    if credit.full == entry.full:
        return "exact"
    if entry.loose == credit.full or credit.loose == entry.full or (credit.loose and credit.loose == entry.loose):
        return "article"
    if (entry.main and entry.extra) or (credit.main and credit.extra):
        return ""
    if entry.main and not credit.main and not entry.subtitle_numbers:
        if credit.full in (entry.main, entry.main_loose) or (credit.loose and credit.loose == entry.main):
            return "subtitle_entry"
    if credit.main and not entry.main and not credit.subtitle_numbers:
        if entry.full in (credit.main, credit.main_loose) or (entry.loose and entry.loose == credit.main):
            return "subtitle_credit"
    if other_subtitles and credit.main and entry.main and not credit.subtitle_numbers and not entry.subtitle_numbers:
        if credit.main == entry.main or (credit.main_loose and credit.main_loose == entry.main_loose):
            return "subtitles"
    return ""


def _words_close(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Every significant word has its counterpart, at most a typo away.

    Allowed: a plural or possessive "s" ("Shore"/"Shores"), one letter dropped or doubled
    inside a word ("Exress", "Mirrror"), two neighbouring letters swapped ("Quite"/"Quiet").
    Not allowed: another first letter ("Night"/"Light"), a word added or dropped ("Love Me"/
    "Love Me Not"), a longer form of the word ("Iron"/"Irony", "Garden"/"Gardener"), a
    letter replaced ("Bitter"/"Better"), anything in words under five letters. Spelling
    variants (harbour/harbor) are already equal in the canonical form.
    """
    if len(first) != len(second):
        return False
    for one, two in zip(first, second, strict=True):
        if one == two:
            continue
        if one[0] != two[0] or one[0].isdigit() or two[0].isdigit():
            return False
        one, two = one.removesuffix("s"), two.removesuffix("s")
        if one == two or one.removesuffix("e") == two.removesuffix("e"):
            continue
        if min(len(one), len(two)) < 5 or one.startswith(two) or two.startswith(one):
            return False
        if OSA.distance(one, two) != 1:
            return False
        if len(one) == len(two):
            differ = [index for index in range(len(one)) if one[index] != two[index]]
            if len(differ) != 2 or differ[1] != differ[0] + 1:
                return False  # a replaced letter, not two swapped ones
    return True


def _fuzzy_ratio(credit: _Form, entry: _Form, cutoff: float) -> float:
    if credit.numbers != entry.numbers:
        return 0.0  # sequel numbers must agree: "Harbor Lights 2" is not "Harbor Lights 3"
    ratio = fuzz.ratio(credit.significant_text, entry.significant_text, score_cutoff=cutoff)
    if ratio and _words_close(credit.significant, entry.significant):
        return ratio
    return 0.0


def _title_relation(
    credit_forms: list[_Form],
    entry_forms: list[_Form],
    *,
    fuzzy_cutoff: float | None,
    allow_subtitle: bool = True,
    other_subtitles: bool = False,
) -> _Relation | None:
    best: _Relation | None = None
    for credit_form in credit_forms:
        for entry_form in entry_forms:
            kind = _exact_kind(credit_form, entry_form, other_subtitles=other_subtitles)
            if not kind or (not allow_subtitle and kind.startswith("subtitle")):
                continue
            relation = _Relation(kind, credit_form, entry_form)
            if best is None or (_RELATION_RANK[kind], not relation.alternate) > (
                _RELATION_RANK[best.kind],
                not best.alternate,
            ):
                best = relation
    if best is not None or fuzzy_cutoff is None:
        return best
    for credit_form in credit_forms:
        for entry_form in entry_forms:
            ratio = _fuzzy_ratio(credit_form, entry_form, fuzzy_cutoff)
            if ratio and (best is None or ratio > best.ratio):
                best = _Relation("fuzzy", credit_form, entry_form, ratio)
    return best


def _describe_title(relation: _Relation) -> str:
    credit, entry = relation.credit_form.text, relation.entry_form.text
    if relation.kind == "fuzzy":
        return f"similar title ({relation.ratio:.0f}%): '{credit}' ~ '{entry}'"
    if relation.kind == "subtitle_entry":
        return f"same main title '{credit}'; the listing adds the subtitle in '{entry}'"
    if relation.kind == "subtitle_credit":
        return f"same main title '{entry}'; your credit adds the subtitle in '{credit}'"
    if relation.kind == "subtitles":
        return f"same main title, other subtitle: '{credit}' / '{entry}'"
    prefix = "the listing's alternate title" if relation.entry_form.alternate else "title"
    if relation.credit_form.alternate:
        prefix = "your alternate title"
    if relation.kind == "article":
        return f"{prefix} '{entry}' matches '{credit}' apart from the leading article"
    if credit == entry:
        return f"same title '{credit}'" if prefix == "title" else f"{prefix} '{entry}' matches"
    notes = []
    for text in (entry, credit):
        if "," in text and _restore_article(text) != text:
            notes.append(f"after moving '{text.rpartition(',')[2].strip()}'")
            break
    if entry.casefold() != credit.casefold() and (fold_text(entry) != entry or fold_text(credit) != credit):
        notes.append("ignoring accents")
    elif not notes and entry.casefold() == credit.casefold():
        notes.append("ignoring case")
    if relation.entry_form.numbers and (
        any(char.isdigit() for char in entry) != any(char.isdigit() for char in credit)
        or not any(char.isdigit() for char in entry + credit)
    ):
        notes.append("with the number written differently")
    if not notes:
        notes.append("ignoring case and punctuation")
    return f"{prefix} '{entry}' matches '{credit}' " + ", ".join(notes)


def _year_text(credit_year: int | None, entry_year: int | None) -> str:
    if credit_year and entry_year:
        if credit_year == entry_year:
            return f"year {credit_year} = {entry_year}"
        return f"year {credit_year} vs {entry_year}"
    return "no year on your credit" if entry_year else "no year in the listing"


def _best_creator(view: _CreditView, entry: IndexedEntry) -> tuple[int, str]:
    best, shown = 0, ""
    for index, creator in enumerate(entry.creators or ()):
        for member in view.names:
            strength = name_match(member, creator)
            if strength > best:
                best, shown = strength, entry.creator_displays[index] if index < len(entry.creator_displays) else ""
    return best, shown


def _compare_identifiers(view: _CreditView, entry: IndexedEntry) -> tuple[str, str]:
    """('same', reason) / ('conflict', scheme) / ('series', reason) / ('', '')."""
    if not entry.identifiers or not view.identifiers:
        return "", ""
    conflict = ""
    for scheme in ("imdb_id", "eidr", "isan", "isbn"):
        ours, theirs = view.identifiers.get(scheme), entry.identifiers.get(scheme)
        if ours and theirs:
            if ours == theirs:
                return "same", f"same {IDENTIFIER_LABELS[scheme]} {ours}"
            conflict = conflict or scheme
    ours = view.identifiers.get("imdb_id")
    if ours and ours == entry.identifiers.get("series_imdb_id"):
        return "series", f"the listing's series IMDb id {ours} is your credit's"
    return ("conflict", conflict) if conflict else ("", "")


_GENERIC_EPISODE_TITLE = re.compile(r"^(?:pilot|untitled|episode \d+|part \d+|\d+|chapter \d+|finale)$")


def _score_tv(view: _CreditView, entry: IndexedEntry, series_by_id: bool) -> tuple[int, str, str] | None:
    """Episodes and series. None when the pair is not a TV pair the rules can accept."""
    credit = view.credit
    if entry.is_episode:
        if not (view.is_episode or view.is_series):
            return None
        credit_series = view.series_forms if view.is_episode else view.forms + view.series_forms
        series = (
            None
            if series_by_id
            else _title_relation(credit_series, entry.series_forms(), fuzzy_cutoff=94, allow_subtitle=False)
        )
        if not series_by_id and series is None:
            return None
        series_text = f"series '{entry.series_display}'" if entry.series_display else "the series"
        if not _tv_years_agree(view.year, entry.year, entry.season, 10 if view.is_series else None):
            return None
        where = _episode_label(entry.season, entry.episode)
        if view.is_series:
            return 80, MatchMethod.EXACT, f"{where} of {series_text}, a series you are credited on"
        numbered = credit.season is not None and credit.episode is not None
        listed = entry.season is not None and entry.episode is not None
        episode_titles = _title_relation(view.forms, entry.forms(), fuzzy_cutoff=FUZZY_MIN_RATIO, allow_subtitle=False)
        if numbered and listed:
            if (credit.season, credit.episode) == (entry.season, entry.episode):
                return 97, MatchMethod.EXACT, f"same {series_text}, {where}"
            if (
                episode_titles
                and episode_titles.kind != "fuzzy"
                and not _GENERIC_EPISODE_TITLE.match(episode_titles.entry_form.significant_text)
            ):
                return (
                    88,
                    MatchMethod.EXACT,
                    (
                        f"same {series_text} and episode title "
                        f"'{episode_titles.entry_form.text}'; numbered {where} in the listing, "
                        f"{_episode_label(credit.season, credit.episode)} on your credit"
                    ),
                )
            return None
        if episode_titles is None:
            return None
        if episode_titles.kind == "fuzzy":
            return 86, MatchMethod.FUZZY, f"{series_text}, {_describe_title(episode_titles)}"
        return 92, MatchMethod.EXACT, f"{series_text}, episode title '{episode_titles.entry_form.text}'"
    if not view.is_episode:
        return None
    # The listing names a film or a whole series; the credit is an episode.
    composite = _title_relation(view.composite_forms, entry.forms(), fuzzy_cutoff=None, allow_subtitle=False)
    if composite is not None and _tv_years_agree(view.year, entry.year, credit.season, None):
        return 90, MatchMethod.EXACT, f"listing '{composite.entry_form.text}' names your episode's series and title"
    whole = _title_relation(view.series_forms, entry.forms(), fuzzy_cutoff=None, allow_subtitle=False)
    if whole is not None and _tv_years_agree(view.year, entry.year, credit.season, 10):
        method = MatchMethod.ALTERNATE if whole.alternate else MatchMethod.EXACT
        return 85, method, f"the listing has the whole series '{whole.entry_form.text}', which has your episode"
    return None


def _episode_label(season: int | None, episode: int | None) -> str:
    if season is not None and episode is not None:
        return f"season {season} episode {episode}"
    if season is not None:
        return f"season {season}"
    return f"episode {episode}" if episode is not None else "an episode"


def _tv_years_agree(credit_year: int | None, entry_year: int | None, season: int | None, span: int | None) -> bool:
    """An episode's year may be compared with its series' first year: allow the seasons in between.
    A reboot of a series decades later is another work."""
    if not credit_year or not entry_year:
        return True
    gap = abs(credit_year - entry_year)
    return gap <= 1 or gap <= (span if span is not None else (season or 1) + 1)


def score_pair(credit: CreditRecord | _CreditView, entry: ManifestRecord | IndexedEntry) -> MatchResult | None:
    """Whether one credit and one manifest entry are the same work, and how sure we are.

    None when the rules rule it out; otherwise a MatchResult with a score (members
    see it from DISPLAY_THRESHOLD), the method and a reason a member can read.
    """
    view = credit if isinstance(credit, _CreditView) else _CreditView(credit)
    indexed = entry if isinstance(entry, IndexedEntry) else IndexedEntry(entry)
    scored = _score(view, indexed)
    if scored is None:
        return None
    score, method, reason = scored
    return MatchResult(view.credit.credit_id, indexed.entry_id, score, str(method), reason)


def _score(view: _CreditView, entry: IndexedEntry) -> tuple[int, str, str] | None:
    verdict, detail = _compare_identifiers(view, entry)
    if verdict == "same":
        return 100, MatchMethod.IDENTIFIER, detail
    if verdict == "conflict" and detail != "isbn":
        # Ids of different levels (a series id against an episode id) do not contradict.
        if not (entry.is_episode and view.is_series) and not (view.is_episode and not entry.is_episode):
            return None
    if view.medium and entry.medium and view.medium != entry.medium:
        return None
    if view.is_episode or entry.is_episode:
        scored = _score_tv(view, entry, verdict == "series")
        if scored is None or verdict != "series":
            return scored
        score, method, reason = scored
        return max(score, 90), method, f"{detail}; {reason}"
    is_book = view.medium == BOOK or entry.medium == BOOK
    book_with_creators = is_book and bool(entry.creators)
    relation = _title_relation(
        view.forms,
        entry.forms(),
        other_subtitles=book_with_creators,
        fuzzy_cutoff=FUZZY_MIN_RATIO_WITH_CREATOR if book_with_creators else FUZZY_MIN_RATIO,
    )
    if relation is None:
        return None
    creator_strength, creator_shown = (0, "")
    if entry.creators:
        creator_strength, creator_shown = _best_creator(view, entry)
        if not creator_strength and view.creator_rule:
            return None
    if (
        relation.kind in ("fuzzy", "subtitles")
        and not creator_strength
        and (relation.kind == "subtitles" or relation.ratio < FUZZY_MIN_RATIO)
    ):
        return None
    scored_work = (_score_book if is_book else _score_film)(view, entry, relation, creator_strength)
    if scored_work is None:
        return None
    score, notes = scored_work
    if verdict == "conflict":  # a different ISBN: another edition, or another book
        assert entry.identifiers is not None  # a conflict is found between two sets of identifiers
        score = min(score, 75)
        notes.append(f"but a different ISBN ({entry.identifiers['isbn']})")
    if creator_strength:
        notes.append(f"listed creator '{creator_shown}' is you")
    method = (
        MatchMethod.FUZZY
        if relation.kind == "fuzzy"
        else MatchMethod.ALTERNATE
        if relation.alternate
        else MatchMethod.EXACT
    )
    return max(0, min(score, 99)), method, "; ".join([_describe_title(relation), *notes])


_FILM_BASE = {"exact": 98, "article": 93, "subtitle_entry": 90, "subtitle_credit": 90}
_BOOK_BASE = {"exact": 97, "article": 95, "subtitle_entry": 93, "subtitle_credit": 93, "subtitles": 88}
_BOOK_BASE_WITHOUT_CREATORS = {"exact": 84, "article": 80, "subtitle_entry": 72, "subtitle_credit": 72}


def _fuzzy_score(ratio: float) -> int:
    return round(82 + (ratio - FUZZY_MIN_RATIO) * 0.8)


def _score_film(
    view: _CreditView, entry: IndexedEntry, relation: _Relation, creator_strength: int
) -> tuple[int, list[str]] | None:
    kind = relation.kind
    score = _fuzzy_score(relation.ratio) if kind == "fuzzy" else _FILM_BASE[kind]
    if relation.alternate:
        score -= 2
    year_note = _year_text(view.year, entry.year)
    if view.year and entry.year:
        gap = abs(view.year - entry.year)
        if gap >= 2:
            return None  # a remake, or another work with the same title
        if gap == 1:
            # A similar title and a year apart are two doubts: held back for review.
            score -= 12 if kind == "fuzzy" else 4
            year_note += " (one year apart: release vs production year)"
    elif creator_strength:
        score -= 3
    elif kind in ("exact", "article") and len(relation.entry_form.significant) >= 2:
        score -= 12  # nothing but the title: still shown for a full, distinctive title
    else:
        score -= 22  # "Heat" with no year could be any of a dozen films: staff review only
    if creator_strength:
        score += 2
    return score, [year_note]


def _score_book(
    view: _CreditView, entry: IndexedEntry, relation: _Relation, creator_strength: int
) -> tuple[int, list[str]] | None:
    kind = relation.kind
    if creator_strength:
        score = (
            80 + round((relation.ratio - FUZZY_MIN_RATIO_WITH_CREATOR) * 0.8) if kind == "fuzzy" else _BOOK_BASE[kind]
        )
        if creator_strength in (SURNAME_ONLY, INITIALS):
            score -= 2
    else:
        if kind == "fuzzy":
            return None
        score = _BOOK_BASE_WITHOUT_CREATORS[kind]
        if len(relation.entry_form.significant) < 2:
            score -= 10  # "Home.epub" with no author could be anyone's: staff review only
    if relation.alternate:
        score -= 2
    notes = []
    if view.year and entry.year:
        gap = abs(view.year - entry.year)
        if gap >= 2:
            if not creator_strength:
                return None
            score -= 6  # another edition of the author's book
            notes.append(f"year {view.year} vs {entry.year} (another edition?)")
        else:
            notes.append(_year_text(view.year, entry.year))
    return score, notes
