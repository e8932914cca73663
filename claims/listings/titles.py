"""Read manifest titles the way real listings write them, into `ManifestRecord`s.

Listings come in a few shapes, and one manifest row may mix several:

- film databases put the year and alternate titles in the title and move the
  article to the end: `Night Harbor, The (2019)`, `Quiet Shore (a.k.a. Still
  Water) (2004)`, `Long Road, The (Longue Route, La) (2011)`;
- subtitle exports (OpenSubtitles, IMDb lists) name episodes `"Night Harbor"
  The Lighthouse` or `"Night Harbor" (2019) {The Lighthouse (#2.5)}`, or carry
  series, season and episode columns and IMDb ids, sometimes as bare numbers;
- book corpora (Books3) have only a file name: `Jane Roe - The Quiet Shore
  (The Shore Trilogy, #2) [retail].epub.txt`, `The_Quiet_Shore-Roe.txt`.

`parse_film_title` and `parse_book_filename` take one raw string apart;
`record_from_row` (keyword columns) and `parse_manifest_row` (a row dict) turn a
whole row into a ManifestRecord with its comparison keys. A malformed
identifier is dropped with a note, never fatal: the title still matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from claims.matching import (
    BOOK,
    EXTRA_WORK,
    FILM_TV,
    LEADING_ARTICLES,
    MEDIA_MEDIUM,
    ManifestRecord,
    record_keys,
)
from members.identifiers import detect_and_normalize, is_clean_imdb_id, normalize_isbn

__all__ = [
    "ParsedTitle",
    "looks_like_book_filename",
    "parse_book_filename",
    "parse_film_title",
    "parse_manifest_row",
    "record_from_row",
    "record_keys",
    "split_creators",
]


@dataclass(slots=True)
class ParsedTitle:
    """What one raw title string says. Fields a format does not carry stay empty."""

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


# --------------------------------------------------------------------------- film and TV titles

_TRAILING_GROUP = re.compile(r"^(?P<head>.*?\S)\s*(?:\((?P<paren>[^()]*)\)|\[(?P<bracket>[^\[\]]*)\])\s*$", re.S)
_YEAR_GROUP = re.compile(
    r"^\s*(?:(?P<year>1[4-9]\d\d|2[01]\d\d)(?:\s*/\s*[IVX]+)?(?:\s*[-–]\s*(?:\d{4})?\s*)?|\?{4})\s*$"
)
_AKA = re.compile(r"^\s*(?:a\.?\s?k\.?\s?a\.?|also known as)\s*[:\s]\s*(?P<alternate>.+?)\s*$", re.IGNORECASE)
_AKA_INLINE = re.compile(r"\s+(?:a\.k\.a\.?|aka|also known as)\s+", re.IGNORECASE)
_FILM_TAGS = re.compile(
    r"^(?:tv|v|vg|video|short|tv movie|tv series|tv mini[- ]?series|mini[- ]?series|tv special|tv short|"
    r"documentary|uncredited|voice|archive footage|remastered|restored|imax|3-?d|4k|uhd|hd|sd|\d{3,4}p|"
    r"subtitled|dubbed|complete|retail|(?:\w+'?s )?(?:cut|edition|version)|"
    r"(?:director'?s|extended|theatrical|final|special|unrated|uncut|original|international|us|uk|"
    r"collector'?s|anniversary) (?:cut|edition|version)|eng|english|en|fr|french|de|german|es|spanish)$",
    re.IGNORECASE,
)
# `"Night Harbor" (2019) {The Lighthouse (#2.5)}` (IMDb lists) and `"Night Harbor" The Lighthouse`
# (OpenSubtitles exports): the quoted part is the series.
_QUOTED_SERIES = re.compile(r'^"(?P<series>[^"]+)"\s*(?P<rest>.*)$', re.S)
_IMDB_EPISODE = re.compile(r"^\{(?P<inner>.*)\}\s*$")
_IMDB_EPISODE_NUMBER = re.compile(r"\(?#(?P<season>\d{1,4})\.(?P<episode>\d{1,5})\)?")
# "Night Harbor - S02E05 - The Lighthouse", "Night.Harbor.S02E05", "Night Harbor 2x05 The Lighthouse".
_SEASON_EPISODE = re.compile(
    r"^(?P<series>.+?)[\s._]*(?:-\s*)?\b(?:[Ss](?P<season>\d{1,2})[\s._]?[Ee](?P<episode>\d{1,3})"
    r"|(?P<season_x>\d{1,2})x(?P<episode_x>\d{2,3}))\b(?:[\s._]*-?\s*(?P<title>.*))?$",
    re.S,
)
_SCENE_STOP = re.compile(
    r"^(?:\d{3,4}p|bluray|blu-ray|brrip|bdrip|dvdrip|dvdscr|webrip|web-dl|web|hdtv|hdrip|x264|x265|h264|"
    r"hevc|xvid|proper|repack|limited|internal|remux|aac|ac3|dts)$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[4-9]\d\d|2[01]\d\d)\b")
_SCENE_SPLIT = re.compile(r"[._]")
_LEADING_YEAR = re.compile(r"^\((?P<year>\d{4})(?:/[IVX]+)?[^)]*\)\s*(?P<rest>.*)$", re.S)
_AIR_DATE = re.compile(r"\(\d{4}-\d\d-\d\d\)")
_SEASON_EPISODE_HINT = re.compile(r"[Ss]\d{1,2}[\s._]?[Ee]\d|\d{1,2}x\d\d")
_S_DIGIT = re.compile(r"[Ss]\d")  # what the hint's first branch starts with; the second needs an "x"


def _looks_numbered(text: str) -> bool:
    """`S02E05` or `2x05` in the text (_SEASON_EPISODE_HINT), with the cheap tests first: the
    hint searched over a whole title is slower than most of the title's parsing."""
    return ("x" in text or _S_DIGIT.search(text) is not None) and _SEASON_EPISODE_HINT.search(text) is not None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _split_inline_alternates(title: str) -> tuple[str, list[str]]:
    """`Quiet Shore aka Still Water`, `Quiet Shore / Still Water` -> the title and its alternates."""
    lowered = title.lower()
    if " / " not in title and "aka " not in lowered and "a.k.a" not in lowered and "also known" not in lowered:
        return title, []
    parts = _AKA_INLINE.split(title)
    alternates = [part.strip() for part in parts[1:] if part.strip()]
    head = parts[0].strip()
    if " / " in head:
        head, *more = [part.strip() for part in head.split(" / ")]
        alternates = [part for part in more if part] + alternates
    return head or title, alternates


def _peel_trailing_groups(text: str) -> tuple[str, list[str], int | None, list[str]]:
    """Take `(YYYY)`, `(a.k.a. …)`, alternate titles and tags off the end of a title.

    Returns (title, alternate titles, year, tags). A group starting in lower
    case ("Birdman (or The Unexpected Virtue)") continues the title rather than naming
    another one; the title without it becomes an alternate.
    """
    alternates: list[str] = []
    tags: list[str] = []
    year = None
    while True:
        tail = text.rstrip()
        if not tail.endswith((")", "]")):
            break  # no group at the end: the pattern below cannot match
        digits = tail[-5:-1]
        if (
            tail[-6:-5] == "("
            and tail[-1] == ")"
            and digits.isdigit()
            and digits.isascii()
            and 1400 <= int(digits) <= 2199
            and tail[:-6].strip()
        ):
            # "(2019)", the usual group: what the patterns below make of it, without them.
            year = year or int(digits)
            text = tail[:-6].strip()
            continue
        match = _TRAILING_GROUP.match(text)
        if not match:
            break
        inner = _clean(match.group("paren") if match.group("paren") is not None else match.group("bracket"))
        head = match.group("head").strip()
        if not inner:
            text = head
            continue
        year_match = _YEAR_GROUP.match(inner)
        if year_match:
            if year is None and year_match.group("year"):
                year = int(year_match.group("year"))
            text = head
            continue
        aka = _AKA.match(inner)
        if aka:
            alternates.insert(0, aka.group("alternate"))
            text = head
            continue
        if _FILM_TAGS.match(inner):
            tags.insert(0, inner)
            text = head
            continue
        if EXTRA_WORK.match(inner.casefold()):
            text = f"{head}: {inner}"  # "Night Harbor (Trailer)" is another work than the film
            break
        if inner[0].islower() and not inner.startswith(("a.k.a", "aka")):
            alternates.insert(0, head)
            break  # "Birdman (or The Unexpected Virtue of Ignorance)" is one title
        alternates.insert(0, inner)
        text = head
    return text.strip(), alternates, year, tags


def _scene_name(text: str) -> tuple[str, int | None] | None:
    """`Night.Harbor.2019.1080p.BluRay.x264` -> ("Night Harbor", 2019); None if not that shape."""
    if " " in text or text.count(".") < 2:
        return None
    words = [word for word in _SCENE_SPLIT.split(text) if word]
    stop = next((index for index, word in enumerate(words) if _SCENE_STOP.match(word)), len(words))
    words = words[:stop]
    year = None
    if len(words) > 1 and _YEAR.fullmatch(words[-1]):
        year = int(words.pop())
    return (" ".join(words), year) if words else None


def parse_film_title(raw: str) -> ParsedTitle:
    """A film or TV title as databases and subtitle exports write it.

    `Long Road, The (Longue Route, La) (2011)` -> title "Long Road, The", alternate
    "Longue Route, La", year 2011. The article stays where the listing put it: the
    comparison keys move it back (matching.canonical_title), the display keeps it.
    """
    text = " ".join((raw or "").split())  # _clean, inline: every title comes this way
    plain = text.replace(" ", "")
    if plain.isalnum() and (plain.isalpha() or not _looks_numbered(text)):
        # Most titles are plain words: no quotes, groups, dots or episode numbers to take apart.
        lowered = text.lower()
        if "aka " not in lowered and "also known" not in lowered:
            return ParsedTitle(text)  # nor an alternate title: see _split_inline_alternates
        title, alternates = _split_inline_alternates(text)
        if alternates:
            alternates = list(dict.fromkeys(alt for alt in alternates if alt and alt != title))
        return ParsedTitle(title, tuple(alternates))
    if text[-7:-5] == " (" and text[-1] == ")":
        # `Night Harbor, The (2019)`, the usual catalogue entry: words (perhaps a moved article)
        # and the year, which is all _peel_trailing_groups would find.
        digits, head = text[-5:-1], text[:-7]
        if (
            digits.isdigit()
            and digits.isascii()
            and 1400 <= int(digits) <= 2199
            and head.replace(" ", "").replace(",", "").isalpha()
        ):
            lowered = head.lower()
            if "aka " not in lowered and "also known" not in lowered:
                return ParsedTitle(head, (), int(digits))
    if text[:1] == '"' and " " in text:
        # `"Night Harbor" The Lighthouse`, the usual episode: the series, then plain words.
        close = text.find('"', 1)
        rest = text[close + 1 :].strip()
        if close > 1 and rest.replace(" ", "").isalnum():
            lowered = rest.lower()
            if "aka " not in lowered and "also known" not in lowered:
                return ParsedTitle(rest, (), None, (), text[1:close].strip())
    notes: list[str] = []
    series, season, episode = "", None, None
    scene = _scene_name(text) if " " not in text else None  # a scene name has no spaces
    year_from_name = None
    if scene:
        text, year_from_name = scene
    quoted = _QUOTED_SERIES.match(text) if text.startswith('"') else None
    if quoted:
        series = quoted.group("series").strip()
        rest = quoted.group("rest").strip()
        rest_match = _LEADING_YEAR.match(rest) if rest.startswith("(") else None
        if rest_match:
            year_from_name = int(rest_match.group("year"))
            rest = rest_match.group("rest").strip()
        braces = _IMDB_EPISODE.match(rest) if rest.startswith("{") else None
        if braces:
            rest = braces.group("inner").strip()
            number = _IMDB_EPISODE_NUMBER.search(rest)
            if number:
                season, episode = int(number.group("season")), int(number.group("episode"))
                rest = _IMDB_EPISODE_NUMBER.sub("", rest).strip()
            if _AIR_DATE.fullmatch(rest) or rest.lower().rstrip(" #") == "episode":
                rest = ""  # an untitled episode: "{Episode #2.5}", "{(2019-05-03)}"
        text = rest
    else:
        numbered = _SEASON_EPISODE.match(text) if _looks_numbered(text) else None
        if numbered:
            series = numbered.group("series").strip(" .-_")
            season = int(numbered.group("season") or numbered.group("season_x"))
            episode = int(numbered.group("episode") or numbered.group("episode_x"))
            text = (numbered.group("title") or "").strip(" .-_")
            series, _, series_year, _ = _peel_trailing_groups(series)
            year_from_name = year_from_name or series_year
    if text.endswith((")", "]")):
        title, alternates, year, tags = _peel_trailing_groups(text)
    else:
        title, alternates, year, tags = text, [], None, []
    if title:
        lowered = title.lower()
        if " / " in title or "aka " in lowered or "a.k.a" in lowered or "also known" in lowered:
            title, inline = _split_inline_alternates(title)  # (whose own first test this is)
            alternates = inline + alternates
    if not title:
        # An episode listed only by number: its title is unknown, the series names it.
        title = series or _clean(raw or "")
    if tags:
        notes.append("tags: " + ", ".join(tags))
    if alternates:
        alternates = list(dict.fromkeys(alt for alt in alternates if alt and alt != title))
    return ParsedTitle(
        title, tuple(alternates), year or year_from_name, (), series, season, episode, "", "", tuple(notes)
    )


# --------------------------------------------------------------------------- book file names

_BOOK_EXTENSION = re.compile(
    r"\.(?:epub|txt|mobi|pdf|azw3?|kfx|docx?|rtf|html?|xhtml|fb2|lit|djvu|lrf|pdb|prc|cbz|cbr|zip|rar|7z|gz|"
    r"bz2|xz)$",
    re.IGNORECASE,
)
_ISBN_IN_TEXT = re.compile(r"(?<![\dX])(97[89][\d -]{10,14}|\d{9}[\dX]|\d[\d-]{11}[\dX])(?![\dX])", re.IGNORECASE)
_BOOK_TAGS = re.compile(
    r"^(?:retail|epub|mobi|pdf|azw3?|ebook|e-book|scan|ocr|html|txt|calibre|z-?lib(?:rary)?|z-library|"
    r"b-ok|libgen|v\s?\d+(?:\.\d+)*|version \d+(?:\.\d+)*|illustrated|unabridged|abridged|annotated|"
    r"reprint|revised(?: edition)?|\w+ edition|edition|ed|\d+(?:st|nd|rd|th) ed(?:ition)?|"
    r"an? (?:novel|memoir|thriller|mystery|romance|novella|story|collection)|novel|novella|memoir|"
    r"short stories|stories|poems|anthology|non-?fiction|fiction|kindle|nook|kobo|ebook by \w+|"
    r"english|eng|en|\w+ ebooks?|pg)$",
    re.IGNORECASE,
)


def _is_book_tag(text: str) -> bool:
    text = text.strip().rstrip(".")
    if text.isascii() and text.replace(" ", "").isalpha():
        # Words only, the usual segment: a tag is then one of _WORD_TAGS or "… edition",
        # "… ebook(s)", "a/an …", "ebook by …" (the other shapes need digits or hyphens).
        lowered = text.lower()
        if (
            lowered not in _WORD_TAGS
            and not lowered.endswith((" edition", " ebook", " ebooks"))
            and not lowered.startswith(("a ", "an ", "ebook by "))
        ):
            return False
    return _BOOK_TAGS.match(text) is not None


_WORD_TAGS = frozenset(
    {
        "retail",
        "epub",
        "mobi",
        "pdf",
        "azw",
        "ebook",
        "scan",
        "ocr",
        "html",
        "txt",
        "calibre",
        "zlib",
        "zlibrary",
        "libgen",
        "illustrated",
        "unabridged",
        "abridged",
        "annotated",
        "reprint",
        "revised",
        "edition",
        "ed",
        "novel",
        "novella",
        "memoir",
        "short stories",
        "stories",
        "poems",
        "anthology",
        "nonfiction",
        "fiction",
        "kindle",
        "nook",
        "kobo",
        "english",
        "eng",
        "en",
        "pg",
    }
)


_SERIES_NOTE = re.compile(
    r"#\s*\d+(?:\.\d+)?|\b(?:book|bk|vol(?:ume)?|part|episode|no\.?)\s*\d+|\b\d+\s*$|"
    r"\b(?:trilogy|duology|quartet|series|saga|cycle|chronicles|sequence)\b",
    re.IGNORECASE,
)
_SEGMENT_SEPARATOR = re.compile(r"\s+[-–—]{1,2}\s+")
_INNER_HYPHEN = re.compile(r"(?<=\S)-(?=\S)")
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_TRAILING_PARENTHESIS = re.compile(r"^(?P<head>.*?\S)\s*\((?P<inner>[^()]*)\)\s*$", re.S)
_ISBN_SHAPE = re.compile(r"[\dXx -]{10,17}")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.")
_TITLE_PUNCTUATION = re.compile(r"[?!:;\"]")
_SEVERAL_PEOPLE = re.compile(r"&|;|\band\b")
_DIGIT = re.compile(r"\d")
_TITLE_WORDS = frozenset(
    {
        "of",
        "the",
        "in",
        "to",
        "for",
        "with",
        "from",
        "on",
        "at",
        "is",
        "my",
        "your",
        "how",
        "what",
        "why",
        "when",
        "where",
        "who",
        "a",
        "an",
        "and",
        "or",
        "not",
        "no",
        "into",
        "over",
        "under",
        "after",
        "before",
        "about",
        "without",
        "this",
        "that",
        "our",
        "their",
        "his",
        "her",
        "its",
        "we",
        "you",
        "it",
        "be",
        "book",
        "part",
        "volume",
        "vol",
        "chapter",
        "edition",
    }
)
_NAME_PARTICLES = frozenset(
    {
        "de",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "du",
        "del",
        "della",
        "la",
        "le",
        "ten",
        "ter",
        "bin",
        "al",
        "el",
        "st",
        "mac",
        "mc",
        "y",
        "dos",
        "das",
    }
)
_BY_AUTHOR = re.compile(r"^(?P<title>.+?)\s+by\s+(?P<author>(?:[A-Z][\w'’.-]*\s*){1,4})$")


def _name_likeness(segment: str) -> int:
    """How much a file-name segment looks like a person's name rather than a title.

    Positive: "Roe, Jane", "J. Q. Roe", two or three capitalised words. Negative: an article
    in front, lower-case title words, digits, punctuation. Only a clear margin between the
    two segments decides which is the author.
    """
    text = segment.strip()
    if not text:
        return -9
    if text.isascii() and text.replace(" ", "").isalpha():
        # Letters and spaces (most segments): no comma, initials, digits or punctuation to score.
        words = text.split()
        if "and" not in words:  # not several people: the tests below on the text alone
            lowered = text.lower().split()
            score = (
                -3
                if lowered[0] in ("the", "a", "an")
                else (-1 if lowered[0] in LEADING_ARTICLES and len(words) > 2 else 0)
            )
            if not _TITLE_WORDS.isdisjoint(lowered[1:]) and any(
                word in _TITLE_WORDS and word not in _NAME_PARTICLES for word in lowered[1:]
            ):
                score -= 2
            if 2 <= len(words) <= 4 and (
                "".join([word[0] for word in words]).isupper()
                or all(word[0].isupper() or word.lower() in _NAME_PARTICLES for word in words)
            ):
                score += 1
            return score - 2 if len(words) > 5 else score
    comma = "," in text
    spaced = text.replace(",", " ") if comma else text
    words = spaced.split()
    lowered = spaced.lower().split()
    # Letters and spaces only (most segments): no initials, digits, punctuation or "&" to look for.
    plain = text.replace(" ", "").isalpha()
    score = 0
    if comma:
        head, _, tail = text.partition(",")
        if (
            "," not in tail
            and 1 <= len(head.split()) <= 3
            and 1 <= len(tail.split()) <= 3
            and not (_SERIES_NOTE.search(text) or tail.strip().lower().startswith(("book", "part", "vol")))
        ):
            score += 3
    if not plain and _INITIAL.search(text):
        score += 2
    if not plain and _DIGIT.search(text):
        score -= 3
    if lowered[0] in ("the", "a", "an"):
        score -= 3
    elif lowered[0] in LEADING_ARTICLES and len(words) > 2:
        score -= 1
    if not _TITLE_WORDS.isdisjoint(lowered[1:]) and any(
        word in _TITLE_WORDS and word not in _NAME_PARTICLES for word in lowered[1:]
    ):
        score -= 2
    if not plain and _TITLE_PUNCTUATION.search(text):
        score -= 3
    several = "and" in words if plain else _SEVERAL_PEOPLE.search(text) is not None
    if several or comma:
        pieces = split_creators(text)
        if (
            len(words) >= 2
            and pieces
            and all(
                1 <= len(piece.replace(",", " ").split()) <= 4
                and all(
                    word[0].isupper() or word.lower() in _NAME_PARTICLES for word in piece.replace(",", " ").split()
                )
                for piece in pieces
            )
        ):
            score += 1
        if several and len(pieces) >= 2 and all(2 <= len(piece.replace(",", " ").split()) <= 4 for piece in pieces):
            score += 2  # "Jane Roe & John Doe": several people
    elif 2 <= len(words) <= 4 and all(word[0].isupper() or word.lower() in _NAME_PARTICLES for word in words):
        score += 1  # one name, as written: the same test as above with the text as the only piece
    if len(words) > 5:
        score -= 2
    return score


def _looks_like_series_note(segment: str) -> bool:
    return bool(_SERIES_NOTE.search(segment)) and len(segment.split()) <= 6


def parse_book_filename(raw: str) -> ParsedTitle:
    """A book corpus file name -> title, creators and series note.

    `Jane Roe - The Quiet Shore (The Shore Trilogy, #2) [retail].epub.txt` -> title "The
    Quiet Shore", creators ("Jane Roe",), series note "The Shore Trilogy, #2". When the
    name does not show which part is the author (`Quiet Shore - Jane Roe`), both readings
    are kept: the other part becomes an alternate title and a possible creator, and the
    matcher's creator check settles it.
    """
    text = (raw or "").strip()
    if "/" in text or "\\" in text:
        text = text.replace("\\", "/").rsplit("/", 1)[-1].strip()
    text = _strip_book_extensions(text)
    notes: list[str] = []
    isbn = ""
    underscored = "_" in text and " " not in text
    if "_" in text:
        # Books3 wrote ":" as "_": "Deep Harbor_ Lessons from the Sea".
        text = text.replace("_ ", ": ").replace("_", " ")
    text = " ".join(text.split())  # _clean

    series_notes: list[str] = []
    parenthesised_names: list[str] = []
    year = None

    def take_groups(value: str) -> str:
        nonlocal year, isbn

        def bracket(match: re.Match) -> str:
            nonlocal isbn
            inner = match.group(1).strip()
            found = _isbn_from(inner)
            if found:
                isbn = isbn or found
            elif _looks_like_series_note(inner) and not _is_book_tag(inner):
                series_notes.append(inner)
            return " "

        if "[" in value:
            value = _clean(_BRACKETS.sub(bracket, value))
        while value.endswith(")"):
            match = _TRAILING_PARENTHESIS.match(value)
            if not match:
                return value
            inner = _clean(match.group("inner"))
            head = match.group("head")
            year_match = _YEAR_GROUP.match(inner)
            found = _isbn_from(inner)
            if not inner or _is_book_tag(inner):
                pass
            elif year_match:
                year = year or (int(year_match.group("year")) if year_match.group("year") else None)
            elif found:
                isbn = isbn or found
            elif _looks_like_series_note(inner):
                series_notes.insert(0, inner)
            elif _name_likeness(inner) >= 1 and len(inner.split()) <= 4:
                parenthesised_names.append(inner)  # "The Quiet Shore (Jane Roe)"
            else:
                return value  # part of the title: leave it to the segments
            value = head.strip()
        return value

    if text.isascii() and "--" not in text:
        segments = [segment.strip() for segment in text.split(" - ")]  # the only separator it can have
    else:
        segments = [segment.strip() for segment in _SEGMENT_SEPARATOR.split(text)]
    if underscored and len(segments) == 1:
        segments = [segment.strip() for segment in text.split("-")]  # _BARE_HYPHEN, stripped
    cleaned = []
    for segment in segments:
        if "[" in segment or segment.endswith(")"):
            segment = take_groups(segment)
        found = _isbn_from(segment) if 10 <= len(segment) <= 17 and _ISBN_SHAPE.fullmatch(segment) else ""
        if found:
            isbn = isbn or found
            continue
        if segment and not _is_book_tag(segment):
            cleaned.append(segment)
    if len(cleaned) == 1 and not underscored and "-" in cleaned[0]:
        cleaned = _split_at_hyphen(cleaned[0])
    if len(cleaned) >= 3:
        kept = [segment for segment in cleaned if not _looks_like_series_note(segment)]
        series_notes += [segment for segment in cleaned if _looks_like_series_note(segment)]
        cleaned = kept or cleaned
    creators: list[str] = []
    alternates: list[str] = []
    if not cleaned:
        title = _clean(raw or "")
        notes.append("no title in the file name")
    elif len(cleaned) == 1:
        title = cleaned[0]
        by = _BY_AUTHOR.match(title)
        if parenthesised_names:
            # Could be the author or an alternate title: keep both, the creator check settles it.
            creators = split_creators(parenthesised_names)
            alternates += parenthesised_names
        if by and _name_likeness(by.group("author")) >= 1:
            title, creators = by.group("title"), split_creators(by.group("author"))
            alternates.append(cleaned[0])
    else:
        first, last = _name_likeness(cleaned[0]), _name_likeness(cleaned[-1])
        if first - last >= 2:
            creators, title = split_creators(cleaned[0]), " - ".join(cleaned[1:])
        elif last - first >= 2:
            creators, title = split_creators(cleaned[-1]), " - ".join(cleaned[:-1])
        else:
            # Books3 mostly writes "Author - Title"; "Title-Author" when words are joined by "_".
            author_last = underscored
            creators = split_creators(cleaned[0]) + split_creators(cleaned[-1])
            if author_last:
                title, other = " - ".join(cleaned[:-1]), " - ".join(cleaned[1:])
            else:
                title, other = " - ".join(cleaned[1:]), " - ".join(cleaned[:-1])
            alternates.append(other)
            notes.append("author and title order unclear; both readings kept")
    title = title.strip()
    alternates = tuple(dict.fromkeys([alt for alt in alternates if alt and alt != title])) if alternates else ()
    return ParsedTitle(
        title, alternates, year, tuple(creators), "", None, None, "; ".join(series_notes), isbn, tuple(notes)
    )


def _strip_book_extensions(text: str) -> str:
    """`Title.epub.txt` -> `Title`: every ebook extension off the end, never the whole name."""
    while True:
        head, dot, extension = text.rpartition(".")
        if not dot:
            return text
        if extension.isascii():  # the usual case: a set lookup, same answer as the pattern
            if extension.lower() not in _BOOK_EXTENSIONS:
                return text
            stripped = head
        else:
            stripped = _BOOK_EXTENSION.sub("", text)
            if stripped == text:
                return text
        if not stripped:
            return text
        text = stripped.strip()


def _split_at_hyphen(text: str) -> list[str]:
    """`Jane Roe-The Quiet Shore`: split at the hyphen that best separates a name from a
    title; a hyphenated word or name ("Mei-Lin", "Well-Being") stays whole unless clear."""
    best, best_margin = [text], 1
    phrases = []  # hyphens joining two phrases ("Marisol Farouk-Shallow Beekeeper"), not two words
    for match in _INNER_HYPHEN.finditer(text):
        left, right = text[: match.start()].strip(), text[match.end() :].strip()
        if not left or not right:
            continue
        margin = abs(_name_likeness(left) - _name_likeness(right))
        if margin > best_margin:
            best, best_margin = [left, right], margin
        if " " in left and " " in right:
            phrases.append([left, right])
    if len(best) == 1 and len(phrases) == 1:
        return phrases[0]  # which side is the author stays open: both readings are kept
    return best


def _isbn_from(text: str) -> str:
    for candidate in _ISBN_IN_TEXT.findall(text):
        digits = candidate.replace(" ", "").replace("-", "")
        if len(digits) in (10, 13):
            try:
                return normalize_isbn(digits)
            except ValidationError:
                continue
    return ""


# --------------------------------------------------------------------------- creators

_CREATOR_SEPARATOR = re.compile(r"\s*;\s*|\s*&\s*|\s+and\s+|\s+with\s+|\s*\|\s*|\s+/\s+", re.IGNORECASE)
_NAME_SUFFIX_PIECE = re.compile(r"^(?:jr|sr|ii|iii|iv|phd|md|esq|obe|mbe|cbe)\.?$", re.IGNORECASE)
# What _NOT_A_NAME and _NAME_SUFFIX_PIECE can match in a name of letters and spaces only.
_NOT_NAMES_OR_SUFFIXES = frozenset(
    {
        "et al",
        "ed",
        "eds",
        "editor",
        "editors",
        "trans",
        "translator",
        "illustrator",
        "na",
        "unknown",
        "anonymous",
        "various",
        "various authors",
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "phd",
        "md",
        "esq",
        "obe",
        "mbe",
        "cbe",
    }
)
_NOT_A_NAME = re.compile(
    r"^(?:et al\.?|ed\.?|eds\.?|editors?|trans\.?|translator|illustrator|n/?a|unknown|"
    r"anonymous|various|various authors)$",
    re.IGNORECASE,
)


def split_creators(value: str | Iterable[str] | None) -> list[str]:
    """Free-text creators -> one name per person, as written.

    "Roe, Jane; John Doe", "Jane Roe & John Doe", "Jane Roe, John Doe" and
    "Roe, Jane, Doe, John" all give two names. "García Márquez, Gabriel" is one
    ("Last, First"); "Jane Roe, Jr." keeps its suffix.
    """
    if not value:
        return []
    if not isinstance(value, str):
        return [name for item in value for name in split_creators(item)]
    text = value.strip()
    if text.replace(" ", "").isalpha():
        # One name of letters ("Jane Roe"), the usual case: no separators, commas or suffixes.
        if text.isascii():
            lowered = text.lower()
            if lowered not in _NOT_NAMES_OR_SUFFIXES and " and " not in lowered and " with " not in lowered:
                return [text]
        elif (
            _CREATOR_SEPARATOR.search(text) is None
            and _NOT_A_NAME.match(text) is None
            and _NAME_SUFFIX_PIECE.match(text) is None
        ):
            return [text]
    names: list[str] = []
    for part in _CREATOR_SEPARATOR.split(value.strip()):
        part = part.strip(" ,")
        if not part or _NOT_A_NAME.match(part):
            continue
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        suffixes = [piece for piece in pieces if _NAME_SUFFIX_PIECE.match(piece)]
        pieces = [piece for piece in pieces if not _NAME_SUFFIX_PIECE.match(piece) and not _NOT_A_NAME.match(piece)]
        if not pieces:
            continue
        if len(pieces) == 1:
            found = [pieces[0]]
        elif len(pieces) == 2 and not all(len(piece.split()) >= 2 for piece in pieces):
            found = [f"{pieces[0]}, {pieces[1]}"]  # "Roe, Jane"
        elif all(len(piece.split()) >= 2 for piece in pieces):
            found = pieces  # "Jane Roe, John Doe"
        else:
            found, index = [], 0
            while index < len(pieces):
                if len(pieces[index].split()) == 1 and index + 1 < len(pieces):
                    found.append(f"{pieces[index]}, {pieces[index + 1]}")
                    index += 2
                else:
                    found.append(pieces[index])
                    index += 1
        if suffixes and found:
            found[-1] = f"{found[-1]} {' '.join(suffixes)}"
        names += found
    return [name for name in names if any(char.isalpha() for char in name)]


# --------------------------------------------------------------------------- rows

_ID_SEPARATOR = re.compile(r"\s*[;,|]\s*")
_DIGITS = re.compile(r"\d+")
_NOT_A_FOLDER = re.compile(r"[\s()]")


def _year_from(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    if len(value) == 4 and value.isdigit():
        return int(value)
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


def _number_from(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    if value.isdigit():
        return int(value)
    match = _DIGITS.search(str(value))
    return int(match.group(0)) if match else None


_BOOK_EXTENSIONS = frozenset(
    {
        "epub",
        "txt",
        "mobi",
        "pdf",
        "azw",
        "azw3",
        "kfx",
        "doc",
        "docx",
        "rtf",
        "htm",
        "html",
        "xhtml",
        "fb2",
        "lit",
        "djvu",
        "lrf",
        "pdb",
        "prc",
        "cbz",
        "cbr",
        "zip",
        "rar",
        "7z",
        "gz",
        "bz2",
        "xz",
    }
)


def looks_like_book_filename(title: str) -> bool:
    """A file name (path or ebook extension) rather than a title."""
    text = title.strip()
    if "." in text and text.rpartition(".")[2].lower() in _BOOK_EXTENSIONS:
        return True
    if "/" not in text:
        return False
    folder = text.rpartition("/")[0]
    # "books3/the-eye.eu/…/Jane Roe - The Quiet Shore", not "24/7 Harbor" or "AC/DC Live".
    return len(folder) >= 3 and any(char.isalpha() for char in folder) and not _NOT_A_FOLDER.search(folder)


def _identifiers_from(raw_values: Iterable[str], notes: list[str]) -> dict[str, str]:
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
        record = _plain_title_record(title, year, identifiers, identifier, raw_title, entry_id, title_format, medium)
        if record is not None:
            return record
    return _record_from_row(
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


def _record_from_row(
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
    """record_from_row the long way, for any row (and the reference its fast path is tested against)."""
    notes: list[str] = []
    medium = MEDIA_MEDIUM.get(medium, "") if medium else ""
    creators_given = split_creators(creators) if creators else []
    if title_format == "auto":
        is_book_name = (("." in title or "/" in title) and looks_like_book_filename(title)) or (
            medium == BOOK and not creators_given
        )
        title_format = "book_filename" if is_book_name else "film"
    parsed = parse_book_filename(title) if title_format == "book_filename" else parse_film_title(title)
    if parsed.notes:
        notes += parsed.notes

    found = dict(identifiers) if identifiers else {}
    if identifier:
        raw_ids = [identifier] if isinstance(identifier, str) else list(identifier)
        single = raw_ids[0] if len(raw_ids) == 1 else None
        if is_clean_imdb_id(single):
            found.setdefault("imdb_id", single.lower())  # the usual case, without detection
        elif any(raw_ids):
            for scheme, value in _identifiers_from(raw_ids, notes).items():
                found.setdefault(scheme, value)
    if parsed.isbn:
        found.setdefault("isbn", parsed.isbn)

    series_text = " ".join(series.split()) if series else ""  # _clean
    if is_clean_imdb_id(series_text):
        found.setdefault("series_imdb_id", series_text.lower())  # SeriesIMDBParent
        series_text = ""
    series_text = series_text or parsed.series
    if series_text.endswith((")", "]")):
        # "Night Harbor (2019)": the year tells a reboot apart; the name is what matches.
        series_text = _peel_trailing_groups(series_text)[0] or series_text

    column_year = _year_from(year)
    if column_year and parsed.year and abs(column_year - parsed.year) > 1:
        notes.append(f"year column {column_year} differs from the year in the title ({parsed.year})")

    if not medium:
        medium = _inferred_medium(
            found,
            book_name=title_format == "book_filename",
            episodic=bool(series_text or season not in (None, "") or episode not in (None, "")),
        )
    record = ManifestRecord(
        entry_id,
        parsed.title,
        parsed.alternate_titles,
        column_year or parsed.year,
        tuple(creators_given) if creators_given else parsed.creators,
        found,
        series_text,
        parsed.season if season is None or season == "" else _number_from(season),
        parsed.episode if episode is None or episode == "" else _number_from(episode),
        medium,
        parsed.series_note,
        raw_title if raw_title is not None else title,
        tuple(notes) if notes else (),
    )
    record.keys = record_keys(record)
    return record


_FILM_TV_IDENTIFIERS = frozenset({"imdb_id", "eidr", "isan", "series_imdb_id"})


def _inferred_medium(identifiers: Mapping[str, str], *, book_name: bool, episodic: bool) -> str:
    """What a row is when the training set does not say: a book by its file name or ISBN, film or
    TV by its identifiers or episode columns, otherwise unknown ("")."""
    if book_name or "isbn" in identifiers:
        return BOOK
    if episodic or not _FILM_TV_IDENTIFIERS.isdisjoint(identifiers):
        return FILM_TV
    return ""


def _plain_title_record(
    title: str,
    year: Any,
    identifiers: Mapping[str, str] | None,
    identifier: str | Iterable[str],
    raw_title: str | None,
    entry_id: Any,
    title_format: str,
    medium: str,
) -> ManifestRecord | None:
    """What record_from_row makes of the commonest row, without its machinery: a title of plain
    ASCII words and numbers (no quotes, groups, file extension, episode number or alternate
    title), perhaps a year and a clean IMDb id, and no creators, series or episode columns.
    None for any other row. The same record, field for field, as the long way (tested)."""
    plain = title.replace(" ", "")
    if (
        not (plain.isascii() and plain.isalnum())
        or "  " in title
        or title[0] == " "
        or title[-1] == " "
        or not plain.isalpha()
        and _looks_numbered(title)
    ):
        return None
    medium = MEDIA_MEDIUM.get(medium, "") if medium else ""
    if medium == BOOK and title_format == "auto":
        return None  # a title in a book corpus without creators is a file name
    lowered = title.lower()
    if "aka " in lowered or "also known" in lowered:
        return None
    found = dict(identifiers) if identifiers else {}
    if identifier:
        single = (
            identifier
            if isinstance(identifier, str)
            else (identifier[0] if type(identifier) in (list, tuple) and len(identifier) == 1 else None)
        )
        if not is_clean_imdb_id(single):
            return None
        found.setdefault("imdb_id", single.lower())
    if not medium:
        medium = _inferred_medium(found, book_name=False, episodic=False)
    record = ManifestRecord(
        entry_id,
        title,
        (),
        _year_from(year) or None,
        (),
        found,
        "",
        None,
        None,
        medium,
        "",
        raw_title if raw_title is not None else title,
        (),
    )
    record.keys = record_keys(record)
    return record


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
