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

from __future__ import annotations

import gc
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from claims.enums import MatchMethod
from members.identifiers import NORMALIZERS
from members.titles import ARTICLES, strip_accents

DISPLAY_THRESHOLD = 80
REVIEW_THRESHOLD = 70
# Fuzzy title similarity (rapidfuzz ratio, 0-100) below which two titles are not compared further.
FUZZY_MIN_RATIO = 90
# The index's first, cheap look at a fuzzy neighbour (whole canonical titles, articles and all).
_PREFILTER_RATIO = 80
# Books carry the author, which corroborates a looser title (typos in scanned file names).
FUZZY_MIN_RATIO_WITH_CREATOR = 86

BOOK = "book"
FILM_TV = "film_tv"
# The kind of material a credit is, by members.enums.WorkType value. Screenplays are listed
# like films (scripts data sets); audiobooks and games are their own kinds.
WORK_TYPE_MEDIUM = {
    "book": BOOK, "feature_film": FILM_TV, "short_film": FILM_TV, "tv_series": FILM_TV,
    "tv_episode": FILM_TV, "screenplay": FILM_TV, "commercial": FILM_TV, "music_video": FILM_TV,
    "video_game": "game", "podcast": "audio",
}
# claims.enums.Media values (what a training set contains) -> the medium of its entries.
MEDIA_MEDIUM = {
    "books_text": BOOK, "subtitles": FILM_TV, "scripts": FILM_TV, "video": FILM_TV, "audio": "audio",
    BOOK: BOOK, FILM_TV: FILM_TV,
}
IDENTIFIER_LABELS = {"imdb_id": "IMDb id", "eidr": "EIDR id", "isan": "ISAN", "isbn": "ISBN"}


# --------------------------------------------------------------------------- records


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
    """One manifest entry, parsed and normalised (see manifest_titles.record_from_row).

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
    keys: dict | None = None


@dataclass(frozen=True, slots=True)
class MatchResult:
    credit_id: Any
    entry_id: Any
    score: int
    method: str
    reason: str


# --------------------------------------------------------------------------- titles

_LIGATURES = str.maketrans({
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
    "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "ß": "ss",
    "‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-",
})
# French and Italian elisions are a separate article: "L'Homme" -> "l homme" (so "Homme" alone
# matches without the article); elsewhere an apostrophe just goes ("Schindler's" -> "schindlers").
_ELISION = re.compile(r"(?<!\w)(l|d|j|c|n|m|s|t|qu|dell|all|nell|sull)'(?=\w)")
# The first subtitle separator: "Title: Subtitle", "Title - Subtitle", "Title — Subtitle".
# A colon between digits is a time ("12:08 East of Harbor"), not a separator.
_SUBTITLE_SEPARATOR = re.compile(r"\s*(?<!\d):(?!\d)\s*|\s+-{1,2}\s+|\s*[–—]\s*|\s*--\s*")
_NON_WORD = re.compile(r"[^\w\x00]+")
_ARTICLE_BEFORE_SUBTITLE = re.compile(
    r"^(?P<body>[^,:]+),\s*(?P<article>[^\W\d_]+'?)(?P<rest>\s*(?:(?<!\d):(?!\d)|\s-{1,2}\s|[–—]).*)$"
)
_SEP = "\x00"

# Articles dropped from the front for the "no article" key. Narrower than members.titles.ARTICLES:
# "Die Hard", "I Am Legend" and "As Good as It Gets" do not start with an article.
LEADING_ARTICLES = frozenset({
    "the", "a", "an", "le", "la", "les", "l", "el", "los", "las", "der", "das", "il", "gli", "lo", "het",
    "un", "une", "una", "uno", "ein", "eine", "een",
})
# A subtitle that names another kind of work made from the member's: "Night Harbor: Behind the
# Scenes", "Night Harbor (Trailer)", "Night Harbor: The Musical". Never the same work.
EXTRA_WORK = re.compile(
    r"^(?:behind the scenes|(?:the )?making of.*|trailers?|(?:official |teaser )?trailer|teaser|featurettes?|"
    r"deleted scenes|bloopers?|gag reel|outtakes|(?:original )?(?:motion picture )?soundtrack|ost|"
    r"(?:director'?s )?commentary|(?:the )?(?:animated |tv |television |web )?series|the movie|the film|"
    r"the musical|musical|the play|the game|video game|the novel|novelization|the novelization|"
    r"(?:the )?graphic novel|the comic|the board game|extras?|bonus(?: material| features)?|special features|"
    r"interviews?|(?:the |a )?documentary|retrospective|reunion(?: special)?|sing-?along|abridged|"
    r"summary|study guide|(?:summary|analysis|summary and analysis|summary & analysis) of .*|sparknotes|"
    r"cliffsnotes|workbook)$"
)
# Words a listing may add or drop without making another work ("Lord of Rings").
FILLER_WORDS = LEADING_ARTICLES | {"and", "of", "de", "du", "des", "del", "di", "y", "et", "und"}

_SMALL_NUMBERS = {
    word: value for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {word: 10 * value for value, word in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_NUMBER_WORDS = _SMALL_NUMBERS.keys() | _TENS.keys() | {"hundred", "thousand"}
_ORDINALS = {
    "first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "sixth": "6th",
    "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th", "eleventh": "11th", "twelfth": "12th",
}


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while value >= number:
            out += letters
            value -= number
    return out


# Sequel numbers I to XXXIX. One letter ("I", "V", "X") is a numeral only at the end of a
# title or after "Part"/"Chapter": "I Am Legend", "V for Vendetta" keep their letter.
_ROMAN_NUMERALS = {_roman(value): str(value) for value in range(1, 40)}
_SINGLE_LETTER_NUMERALS = {"i", "v", "x"}
_SPECIAL_TOKENS = frozenset(_NUMBER_WORDS | _ROMAN_NUMERALS.keys() | _ORDINALS.keys())
# "Part II" = "II", "Vol. 2" = "2": the word before a number adds nothing.
_PART_WORDS = frozenset({"part", "pt", "chapter", "chap", "ch", "vol", "volume", "episode", "ep", "book",
                         "no", "number", "nr"})
_WORD_SPELLINGS = {
    "mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "mt": "mount", "vs": "versus",
    "jr": "junior", "sr": "senior", "n": "and", "grey": "gray", "ok": "okay", "xmas": "christmas",
}
# British and American spellings meet in the middle: harbour/harbor, theatre/theater,
# realise/realize, catalogue/catalog. Applied to both sides, so only the meeting matters.
_OUR = re.compile(r"(?<=\w\w)our(?=(?:s|ed|ing|ite|ites|ful|able|er|ers)?$)")
_TRE = re.compile(r"(?<=\w\w)([tb])re(?=s?$)")
_ISE = re.compile(r"(?<=\w\w\w)(?:is(?=ation|ations$)|ys(?=e|es|ed|ing$))")
_OGUE = re.compile(r"(?<=\w\w\w)ogue(?=s?$)")


_SPELLINGS: dict[str, str] = {}  # token -> spelling, filled as tokens are seen
_SPELLINGS_MAX = 500_000


def _spelling(token: str) -> str:
    spelled = _WORD_SPELLINGS.get(token) or token
    if len(token) >= 5 and not token[0].isdigit() and spelled is token:
        spelled = _OUR.sub("or", token) if len(token) >= 6 else token
        spelled = _TRE.sub(r"\1er", spelled)
        spelled = _ISE.sub(lambda match: match.group(0)[0] + "z", spelled)
        spelled = _OGUE.sub("og", spelled)
    if len(_SPELLINGS) < _SPELLINGS_MAX:
        _SPELLINGS[token] = spelled
    return spelled


def _restore_article(text: str) -> str:
    """Put a catalogue's trailing article back in front: "Night Harbor, The" -> "The Night Harbor".

    Also "Lord of the Harbor: Return, The" and "Night Harbor, The: Return". Not "Me, Myself & I"
    ("I" after "&" or "and" belongs to the list, not an article).
    """
    head, _, tail = text.rpartition(",")
    article = tail.strip()
    if head.strip() and article.lower() in ARTICLES:
        head = head.strip()
        if not head.endswith("&") and not head.lower().endswith(" and"):
            return f"{article}{'' if article.endswith(chr(39)) else ' '}{head}"
    match = _ARTICLE_BEFORE_SUBTITLE.match(text)
    if match and match.group("article").lower() in ARTICLES:
        article = match.group("article")
        return f"{article}{'' if article.endswith(chr(39)) else ' '}{match.group('body').strip()}{match.group('rest')}"
    return text


def _read_number(tokens: list[str], start: int) -> tuple[int, int]:
    """Number words from tokens[start]: ("twenty", "two") -> 22. Returns (value, next index)."""
    value: int | None = None
    index = start
    while index < len(tokens):
        word = tokens[index]
        if word in _SMALL_NUMBERS:
            small = _SMALL_NUMBERS[word]
            if value is None:
                value = small
            elif value % 100 >= 20 and value % 10 == 0 and 0 < small < 10:
                value += small
            elif value >= 100 and value % 100 == 0:
                value += small
            else:
                break
        elif word in _TENS:
            if value is None:
                value = _TENS[word]
            elif value >= 100 and value % 100 == 0:
                value += _TENS[word]
            else:
                break
        elif word == "hundred" and value is not None and 0 < value < 10:
            value *= 100
        elif word == "thousand" and value is not None and 0 < value < 1000:
            value *= 1000
        else:
            break
        index += 1
    if value is None:  # "hundred" or "thousand" on its own
        return -1, start
    return value, index


def _normalise_tokens(tokens: list[str]) -> list[str]:
    if _SPECIAL_TOKENS.isdisjoint(tokens):
        return [_SPELLINGS.get(token) or _spelling(token) for token in tokens]
    out: list[str] = []
    count = len(tokens)
    index = 0
    while index < count:
        token = tokens[index]
        if token in _NUMBER_WORDS:
            value, after = _read_number(tokens, index)
            if value >= 0:
                out.append(str(value))
                index = after
                continue
        numeral = _ROMAN_NUMERALS.get(token)
        if numeral is not None:
            previous = tokens[index - 1] if index else _SEP
            following = tokens[index + 1] if index + 1 < count else _SEP
            if token not in _SINGLE_LETTER_NUMERALS or (
                previous != _SEP and (following == _SEP or previous in _PART_WORDS)
            ):
                out.append(numeral)
                index += 1
                continue
        out.append(_ORDINALS.get(token) or _SPELLINGS.get(token) or _spelling(token))
        index += 1
    if not _PART_WORDS.isdisjoint(out):
        out = [token for position, token in enumerate(out) if not (
            token in _PART_WORDS and position + 1 < len(out) and out[position + 1][:1].isdigit() and position > 0
        )]
    return out


def fold_text(text: str) -> str:
    """Unicode compatibility forms, ligatures and accents folded away ("Æon Café" -> "AEon Cafe")."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text).translate(_LIGATURES)
    return text if text.isascii() else strip_accents(text)


@lru_cache(maxsize=50_000)
def _canonical_series(series: str) -> str:
    """canonical_title for series names, which repeat on every episode of a listing."""
    return canonical_title(series)


def search_key(text: str) -> str:
    """What a search for a title or a name is compared with: the canonical title without the
    subtitle mark ("Harbor Lights II" -> "harbor lights 2"). `record_keys`' search_text is
    made of these, so a query normalised the same way finds "Harbor Lights 2" as well."""
    return canonical_title(text).replace(" : ", " ")


def canonical_title(title: str) -> str:
    """The comparison form of a title: words lower case and unaccented, numbers as digits,
    catalogue articles moved back in front, and " : " where the first subtitle starts.

    "Night Harbor, The: Part II" -> "the night harbor : 2". Two titles are the same
    title when their canonical forms, with the spaces and the colon taken out, are equal.
    """
    text = fold_text(title.strip())
    if "," in text:
        text = _restore_article(text)
    text = text.casefold()
    if "&" in text or "+" in text:
        text = text.replace("&", " and ").replace("+", " and ")
    if "'" in text:
        text = _ELISION.sub(r"\1 ", text).replace("'", "")
    if ":" in text or "-" in text or "–" in text or "—" in text:
        text = _SUBTITLE_SEPARATOR.sub(" \x00 ", text, count=1)
    if "_" in text:
        text = text.replace("_", " ")
    tokens = _NON_WORD.sub(" ", text).split()
    while tokens and tokens[0] == _SEP:
        tokens.pop(0)
    while tokens and tokens[-1] == _SEP:
        tokens.pop()
    if not tokens:
        return ""
    return " ".join(_normalise_tokens(tokens)).replace(_SEP, ":")


# --------------------------------------------------------------------------- names

_NAME_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NAME_ROLES = re.compile(
    r"\b(?:edited|translated|illustrated|introduced|adapted|written|directed|compiled|narrated|read)\s+by\b"
    r"|\b(?:eds?|trans|transl|tr|illus|intro|comp|et al|editor|editors|translator|illustrator)\b\.?"
)
_NAME_WORDS = re.compile(r"[^\W_]+")
_NAME_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame",
                              "rev", "reverend", "lord", "lady"})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "obe", "mbe", "cbe", "dphil"})


@lru_cache(maxsize=200_000)
def name_tokens(name: str) -> tuple[str, ...]:
    """A person's name as lower-case, unaccented words, given names first, surname last.

    "Roe, Jane Q." -> ("jane", "q", "roe"); "Dr. Renée O'Hara (ed.)" -> ("renee", "ohara").
    """
    text = _NAME_NOTES.sub(" ", fold_text(name)).casefold().replace("'", "")
    text = _NAME_ROLES.sub(" ", text)
    if "," in text:
        head, _, tail = text.partition(",")
        tail_words = _NAME_WORDS.findall(tail)
        if tail_words and not all(word in _NAME_SUFFIXES for word in tail_words):
            text = f"{tail} {head}"
        else:
            text = head
    words = _NAME_WORDS.findall(text)
    while len(words) > 1 and words[0] in _NAME_HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return tuple(words)


FULL_NAME, INITIALS, SURNAME_ONLY = 3, 2, 1
NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "del", "della", "la", "le", "ten",
                            "ter", "bin", "al", "el", "dos", "das", "st", "mac", "mc", "y"})


def name_match(member: tuple[str, ...], creator: tuple[str, ...]) -> int:
    """How well a listed creator's name fits one of a member's names.

    FULL_NAME ("Jane Roe" / "Roe, Jane" / "Jane Q. Roe"), INITIALS ("J. Roe"),
    SURNAME_ONLY (a file name giving only "Roe"), or 0. Given names and initials
    must agree where both sides give them; the surname always must.
    """
    if not member or not creator:
        return 0
    if member == creator:
        return FULL_NAME
    if len(member) > 1 and len(creator) > 1 and (
        sorted(member) == sorted(creator) or "".join(member) == "".join(creator)
    ):
        return FULL_NAME  # surname-first order, "Mary Ann" / "Maryann"
    if member[-1] != creator[-1]:
        return 0
    if len(creator) == 1:
        return SURNAME_ONLY if len(member) > 1 or member == creator else 0
    if len(creator) < len(member) and member[-len(creator):] == creator and all(
        word in NAME_PARTICLES for word in creator[:-1]
    ):
        return SURNAME_ONLY  # "van der Berg" for Anneke van der Berg
    if len(member) == 1:
        return 0
    given, listed = member[0], creator[0]
    if given == listed:
        strength = FULL_NAME
    elif (len(listed) == 1 and given.startswith(listed)) or (len(given) == 1 and listed.startswith(given)):
        strength = INITIALS
    else:
        return 0
    # Particles ("van der") belong to the surname, not to the middle names.
    member_middle = [word for word in member[1:-1] if word not in NAME_PARTICLES]
    listed_middle = [word for word in creator[1:-1] if word not in NAME_PARTICLES]
    if member_middle and listed_middle and member_middle[0][0] != listed_middle[0][0]:
        return 0
    return strength


# --------------------------------------------------------------------------- keys


def record_keys(record: ManifestRecord) -> dict:
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
    titles = [canonical_title(text) for text in (record.title, *record.alternate_titles)]
    series = _canonical_series(record.series) if record.series else ""
    creators = [" ".join(name_tokens(name)) for name in record.creators]
    if len(titles) == 1 and not creators and not series:
        search_text = titles[0].replace(" : ", " ")
    else:
        search_parts = [canonical.replace(" : ", " ") for canonical in titles] + creators
        if series:
            search_parts.append(series.replace(" : ", " "))
        search_text = " | ".join(dict.fromkeys(part for part in search_parts if part))
    keys = {
        "title_key": titles[0],
        "titles": titles,
        "series": [series] if series else [],
        "series_key": series,
        "creators": creators,
        "creators_key": "; ".join(sorted(creator for creator in creators if creator)) if creators else "",
        "search_text": search_text,
    }
    if (record.identifiers or {}).get("series_imdb_id"):
        keys["series_imdb_id"] = record.identifiers["series_imdb_id"]
    if record.medium:
        keys["medium"] = record.medium
    return keys


class _Form:
    """One title prepared for comparison: its compact keys, numbers and significant words."""

    __slots__ = ("text", "canonical", "alternate", "full", "loose", "main", "main_loose", "subtitle", "numbers",
                 "subtitle_numbers", "extra", "significant", "significant_text")

    def __init__(self, text: str, canonical: str, alternate: bool):
        self.text = text
        self.canonical = canonical
        self.alternate = alternate
        tokens = canonical.split()
        if ":" in tokens:
            cut = tokens.index(":")
            main, subtitle = tokens[:cut], tokens[cut + 1:]
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


# --------------------------------------------------------------------------- prepared records

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

    __slots__ = ("entry_id", "year", "medium", "is_episode", "_titles", "_displays", "_creators", "_ids", "_tv")

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
            self._tv = (tuple(series) if series else (), record.series if series else "", record.season,
                        record.episode)
        else:
            self._tv = None
        self.is_episode = record.season is not None or record.episode is not None or bool(
            series and _compact(titles[0]) != _compact(series[0])
        ) or bool(series_id)

    @property
    def titles(self) -> tuple[str, ...]:
        return (self._titles,) if type(self._titles) is str else self._titles

    @property
    def displays(self) -> tuple[str, ...]:
        return (self._displays,) if type(self._displays) is str else self._displays

    @property
    def creators(self) -> tuple[tuple[str, ...], ...] | None:
        return self._creators[0] if self._creators else None

    @property
    def creator_displays(self) -> tuple[str, ...]:
        return self._creators[1] if self._creators else ()

    @property
    def identifiers(self) -> dict[str, str] | None:
        flat = self._ids
        return dict(zip(flat[::2], flat[1::2])) if flat else None

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


def _compact(canonical: str) -> str:
    return canonical.replace(":", "").replace(" ", "")


_TRAILING_PARENTHESIS = re.compile(r"^(?P<head>.*\S)\s*[(\[](?P<inner>[^()\[\]]+)[)\]]\s*$")
_YEAR_NOTE = re.compile(r"^\s*(1[89]\d\d|20\d\d)\s*$")
_SERIES_NOTE = re.compile(r"#\s*\d|\b(?:book|vol(?:ume)?|part)\s*\d|\b(?:trilogy|series|saga|cycle|chronicles)\b",
                          re.IGNORECASE)


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

    __slots__ = ("credit", "forms", "series_forms", "composite_forms", "_names", "identifiers", "year",
                 "medium", "is_episode", "is_series", "creator_rule", "films_only", "title_keys")

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
            credit.series_title and (credit.season is not None or credit.episode is not None))
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
            self.medium == BOOK or work_type == "screenplay" or category == "writer"
            or job in {"director", "author", "written_by", "screenplay_by", "story_by", "teleplay_by"}
            or (not category and not job)
        )
        self.films_only = bool(self.year) and not (self.is_episode or self.is_series) and self.medium != BOOK
        self.title_keys = {form.full for form in self.forms}

    @property
    def names(self) -> list[tuple[str, ...]]:
        """The member's names as words; worked out only when a listing names creators."""
        if self._names is None:
            self._names = [tokens for tokens in dict.fromkeys(
                name_tokens(name) for name in self.credit.member_names if name) if tokens]
        return self._names


# --------------------------------------------------------------------------- scoring


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
    if entry.main and entry.extra or credit.main and credit.extra:
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
    for one, two in zip(first, second):
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


def _title_relation(credit_forms: list[_Form], entry_forms: list[_Form], *, fuzzy_cutoff: float | None,
                    allow_subtitle: bool = True, other_subtitles: bool = False) -> _Relation | None:
    best: _Relation | None = None
    for credit_form in credit_forms:
        for entry_form in entry_forms:
            kind = _exact_kind(credit_form, entry_form, other_subtitles=other_subtitles)
            if not kind or (not allow_subtitle and kind.startswith("subtitle")):
                continue
            relation = _Relation(kind, credit_form, entry_form)
            if best is None or (_RELATION_RANK[kind], not relation.alternate) > (
                _RELATION_RANK[best.kind], not best.alternate
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
        series = None if series_by_id else _title_relation(
            credit_series, entry.series_forms(), fuzzy_cutoff=94, allow_subtitle=False)
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
        episode_titles = _title_relation(view.forms, entry.forms(), fuzzy_cutoff=FUZZY_MIN_RATIO,
                                         allow_subtitle=False)
        if numbered and listed:
            if (credit.season, credit.episode) == (entry.season, entry.episode):
                return 97, MatchMethod.EXACT, f"same {series_text}, {where}"
            if episode_titles and episode_titles.kind != "fuzzy" and not _GENERIC_EPISODE_TITLE.match(
                episode_titles.entry_form.significant_text
            ):
                return (88, MatchMethod.EXACT, f"same {series_text} and episode title "
                        f"'{episode_titles.entry_form.text}'; numbered {where} in the listing, "
                        f"{_episode_label(credit.season, credit.episode)} on your credit")
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
    relation = _title_relation(view.forms, entry.forms(), other_subtitles=book_with_creators,
                               fuzzy_cutoff=FUZZY_MIN_RATIO_WITH_CREATOR if book_with_creators else FUZZY_MIN_RATIO)
    if relation is None:
        return None
    creator_strength, creator_shown = (0, "")
    if entry.creators:
        creator_strength, creator_shown = _best_creator(view, entry)
        if not creator_strength and view.creator_rule:
            return None
    if relation.kind in ("fuzzy", "subtitles") and not creator_strength and (
        relation.kind == "subtitles" or relation.ratio < FUZZY_MIN_RATIO
    ):
        return None
    scored = (_score_book if is_book else _score_film)(view, entry, relation, creator_strength)
    if scored is None:
        return None
    score, notes = scored
    if verdict == "conflict":  # a different ISBN: another edition, or another book
        score = min(score, 75)
        notes.append(f"but a different ISBN ({entry.identifiers['isbn']})")
    if creator_strength:
        notes.append(f"listed creator '{creator_shown}' is you")
    method = (MatchMethod.FUZZY if relation.kind == "fuzzy"
              else MatchMethod.ALTERNATE if relation.alternate else MatchMethod.EXACT)
    return max(0, min(score, 99)), method, "; ".join([_describe_title(relation), *notes])


_FILM_BASE = {"exact": 98, "article": 93, "subtitle_entry": 90, "subtitle_credit": 90}
_BOOK_BASE = {"exact": 97, "article": 95, "subtitle_entry": 93, "subtitle_credit": 93, "subtitles": 88}
_BOOK_BASE_WITHOUT_CREATORS = {"exact": 84, "article": 80, "subtitle_entry": 72, "subtitle_credit": 72}


def _fuzzy_score(ratio: float) -> int:
    return round(82 + (ratio - FUZZY_MIN_RATIO) * 0.8)


def _score_film(view: _CreditView, entry: IndexedEntry, relation: _Relation,
                creator_strength: int) -> tuple[int, list[str]] | None:
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


def _score_book(view: _CreditView, entry: IndexedEntry, relation: _Relation,
                creator_strength: int) -> tuple[int, list[str]] | None:
    kind = relation.kind
    if creator_strength:
        score = (80 + round((relation.ratio - FUZZY_MIN_RATIO_WITH_CREATOR) * 0.8) if kind == "fuzzy"
                 else _BOOK_BASE[kind])
        if creator_strength == SURNAME_ONLY or creator_strength == INITIALS:
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


# --------------------------------------------------------------------------- index


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
        self._year_blocks: dict[int, dict[str, list[IndexedEntry]]] = {}
        self._creator_blocks: dict[str, list[IndexedEntry]] = {}
        self.entries = 0
        self.fuzzy_comparisons = 0
        self.pairs_scored = 0

    def __len__(self) -> int:
        return self.entries

    @staticmethod
    def _put(table: dict, key: str, entry: IndexedEntry, part_of=_entry_year) -> None:
        current = table.get(key)
        if current is None:
            table[key] = entry
        elif type(current) is list:
            if current[-1] is not entry:
                current.append(entry)
                if len(current) > _PARTITION_AT:
                    parts: dict = {}
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
        for position, (keys, significant) in enumerate(title_keys):
            if not significant:
                continue
            keys[0] = compact[position]  # share the entry's string as the dict key
            by_key = self._by_key
            for key in keys:
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
                    elif type(found) is list:
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
    def _lookup(table: dict, key: str, into: dict, parts: tuple | None = None) -> None:
        found = table.get(key)
        if found is None:
            return
        kind = type(found)
        if kind is list:
            for entry in found:
                into[entry] = None
        elif kind is dict:
            for bucket in (found.values() if parts is None else (found.get(part) for part in parts)):
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
        years = (year - 1, year, year + 1, None) if view.films_only else None
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
                            if type(hit) is list:
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
            for _, _, position in process.extract(form.full, choices, scorer=fuzz.ratio,
                                                   score_cutoff=_PREFILTER_RATIO, limit=None):
                found[owners[position]] = None

    def match(self, credit: CreditRecord, *, min_score: int = REVIEW_THRESHOLD) -> list[MatchResult]:
        view = _CreditView(credit)
        results = []
        year = view.year
        ids = set(view.identifiers.values()) if view.identifiers else None
        numbered = view.is_episode and view.credit.season is not None and view.credit.episode is not None
        for entry in self.candidates(view):
            if (view.films_only and entry.year and (entry.year - year >= 2 or year - entry.year >= 2)
                    and entry.medium != BOOK and not entry.is_episode
                    and not (ids and entry._ids and not ids.isdisjoint(entry._ids))):
                continue  # a remake or another work, whatever the title: not worth scoring
            if numbered and entry._tv and entry._tv[3] is not None and entry._tv[3] != view.credit.episode \
                    and not (ids and entry._ids and not ids.isdisjoint(entry._ids)) \
                    and view.title_keys.isdisjoint(entry.titles):
                continue  # another episode of the series, with another title
            self.pairs_scored += 1
            scored = _score(view, entry)
            if scored is not None and scored[0] >= min_score:
                score, method, reason = scored
                results.append(MatchResult(credit.credit_id, entry.entry_id, score, str(method), reason[:300]))
        results.sort(key=lambda result: -result.score)
        return results


def find_matches(credits: Iterable[CreditRecord], entries: Iterable[ManifestRecord] | EntryIndex, *,
                 min_score: int = REVIEW_THRESHOLD) -> Iterator[MatchResult]:
    """Every (credit, entry) pair that is the same work, scored; the index is built once.

    Pass an EntryIndex instead of records to reuse one (or to fill it chunk by chunk).
    """
    with gc_paused():
        index = entries if isinstance(entries, EntryIndex) else EntryIndex().add_all(entries)
        for credit in credits:
            yield from index.match(credit, min_score=min_score)
