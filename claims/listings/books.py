"""Book corpora's file names (Books3 and the like), which are all they say about a book.

`Jane Roe - The Quiet Shore (The Shore Trilogy, #2) [retail].epub.txt`, `The_Quiet_Shore-Roe.txt`,
`books3/the-eye.eu/…/Jane Roe & John Doe - Salt Lines.epub.txt`: an author and a title in either
order, with folders, extensions, tags, series notes, a year or an ISBN around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from claims.listings.creators import name_likeness, split_creators
from claims.listings.text import SERIES_NOTE, YEAR_GROUP, ParsedTitle, clean, distinct_alternates
from members.identifiers import normalize_isbn

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
# The same extensions, for a name whose last part is not ASCII (the set lookup takes the rest).
_BOOK_EXTENSION = re.compile(
    r"\.(?:epub|txt|mobi|pdf|azw3?|kfx|docx?|rtf|html?|xhtml|fb2|lit|djvu|lrf|pdb|prc|cbz|cbr|zip|rar|7z|gz|"
    r"bz2|xz)$",
    re.IGNORECASE,
)
_NOT_A_FOLDER = re.compile(r"[\s()]")
_ISBN_IN_TEXT = re.compile(r"(?<![\dX])(97[89][\d -]{10,14}|\d{9}[\dX]|\d[\d-]{11}[\dX])(?![\dX])", re.IGNORECASE)
_ISBN_SHAPE = re.compile(r"[\dXx -]{10,17}")
_BOOK_TAGS = re.compile(
    r"^(?:retail|epub|mobi|pdf|azw3?|ebook|e-book|scan|ocr|html|txt|calibre|z-?lib(?:rary)?|z-library|"
    r"b-ok|libgen|v\s?\d+(?:\.\d+)*|version \d+(?:\.\d+)*|illustrated|unabridged|abridged|annotated|"
    r"reprint|revised(?: edition)?|\w+ edition|edition|ed|\d+(?:st|nd|rd|th) ed(?:ition)?|"
    r"an? (?:novel|memoir|thriller|mystery|romance|novella|story|collection)|novel|novella|memoir|"
    r"short stories|stories|poems|anthology|non-?fiction|fiction|kindle|nook|kobo|ebook by \w+|"
    r"english|eng|en|\w+ ebooks?|pg)$",
    re.IGNORECASE,
)
# The tags of words only that _BOOK_TAGS matches, but for "… edition", "… ebook(s)", "a/an …" and
# "ebook by …" (the other shapes need digits or hyphens).
_WORD_TAGS = frozenset(
    {
        "short stories",
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
_SEGMENT_SEPARATOR = re.compile(r"\s+[-–—]{1,2}\s+")
_INNER_HYPHEN = re.compile(r"(?<=\S)-(?=\S)")
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_TRAILING_PARENTHESIS = re.compile(r"^(?P<head>.*?\S)\s*\((?P<inner>[^()]*)\)\s*$", re.S)
_BY_AUTHOR = re.compile(r"^(?P<title>.+?)\s+by\s+(?P<author>(?:[A-Z][\w'’.-]*\s*){1,4})$")


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


def parse_book_filename(raw: str) -> ParsedTitle:
    """A book corpus file name -> title, creators and series note.

    `Jane Roe - The Quiet Shore (The Shore Trilogy, #2) [retail].epub.txt` -> title "The
    Quiet Shore", creators ("Jane Roe",), series note "The Shore Trilogy, #2". When the
    name does not show which part is the author (`Quiet Shore - Jane Roe`), both readings
    are kept: the other part becomes an alternate title and a possible creator, and the
    matcher's creator check settles it.
    """
    text, underscored = _file_name_words(raw)
    groups = _Groups()
    segments = groups.title_segments(_segments(text, underscored), underscored=underscored)
    creators: list[str]
    alternates: list[str]
    notes: list[str] = []
    if not segments:
        title, creators, alternates = clean(raw or ""), [], []
        notes.append("no title in the file name")
    elif len(segments) == 1:
        title, creators, alternates = _title_alone(segments[0], groups.names)
    else:
        title, creators, alternates, unclear = _author_and_title(segments, underscored=underscored)
        notes += unclear
    title = title.strip()
    return ParsedTitle(
        title=title,
        alternate_titles=distinct_alternates(alternates, title),
        year=groups.year,
        creators=tuple(creators),
        series_note="; ".join(groups.series_notes),
        isbn=groups.isbn,
        notes=tuple(notes),
    )


def _file_name_words(raw: str) -> tuple[str, bool]:
    """The file name without folders or extensions, in words; and whether it joined its words
    with "_" (Books3 writes those "Title-Author", and ":" as "_": "Deep Harbor_ Lessons")."""
    text = (raw or "").strip()
    if "/" in text or "\\" in text:
        text = text.replace("\\", "/").rsplit("/", 1)[-1].strip()
    text = _strip_book_extensions(text)
    underscored = "_" in text and " " not in text
    if "_" in text:
        text = text.replace("_ ", ": ").replace("_", " ")
    return " ".join(text.split()), underscored  # clean, inline


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


def _segments(text: str, underscored: bool) -> list[str]:
    """The parts between " - " separators: author, title, perhaps a series note."""
    if text.isascii() and "--" not in text:
        segments = [segment.strip() for segment in text.split(" - ")]  # the only separator it can have
    else:
        segments = [segment.strip() for segment in _SEGMENT_SEPARATOR.split(text)]
    if underscored and len(segments) == 1:
        segments = [segment.strip() for segment in text.split("-")]  # "The_Quiet_Shore-Roe"
    return segments


@dataclass(slots=True)
class _Groups:
    """What a file name says besides its author and title, gathered segment by segment."""

    isbn: str = ""
    year: int | None = None
    series_notes: list[str] = field(default_factory=list)
    # "The Quiet Shore (Jane Roe)": the author or an alternate title, which the creator check settles.
    names: list[str] = field(default_factory=list)

    def title_segments(self, segments: list[str], *, underscored: bool) -> list[str]:
        """The segments that hold the author and the title, without groups, tags, ISBNs and
        (when there are enough segments to spare one) series notes, which this gathers."""
        kept = []
        for segment in segments:
            if "[" in segment or segment.endswith(")"):
                segment = self._without_groups(segment)
            isbn = _isbn_from(segment) if 10 <= len(segment) <= 17 and _ISBN_SHAPE.fullmatch(segment) else ""
            if isbn:
                self.isbn = self.isbn or isbn
            elif segment and not _is_book_tag(segment):
                kept.append(segment)
        if len(kept) == 1 and not underscored and "-" in kept[0]:
            kept = _split_at_hyphen(kept[0])
        if len(kept) >= 3:
            self.series_notes += [segment for segment in kept if _looks_like_series_note(segment)]
            kept = [segment for segment in kept if not _looks_like_series_note(segment)] or kept
        return kept

    def _without_groups(self, segment: str) -> str:
        """The segment without the bracketed groups and the parenthesised groups at its end that
        say something else than the title; a parenthesis that is part of the title stays."""
        if "[" in segment:
            segment = clean(_BRACKETS.sub(self._take_bracket, segment))
        while segment.endswith(")"):
            match = _TRAILING_PARENTHESIS.match(segment)
            if not match or not self._took_parenthesis(clean(match.group("inner"))):
                return segment
            segment = match.group("head").strip()
        return segment

    def _take_bracket(self, match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        isbn = _isbn_from(inner)
        if isbn:
            self.isbn = self.isbn or isbn
        elif _looks_like_series_note(inner) and not _is_book_tag(inner):
            self.series_notes.append(inner)
        return " "  # "[retail]" and the like say nothing about the book

    def _took_parenthesis(self, inner: str) -> bool:
        """Whether a trailing "(…)" said something else than the title (then it is taken off)."""
        if not inner or _is_book_tag(inner):
            return True
        year = YEAR_GROUP.match(inner)
        if year:
            self.year = self.year or (int(year.group("year")) if year.group("year") else None)
        elif isbn := _isbn_from(inner):
            self.isbn = self.isbn or isbn
        elif _looks_like_series_note(inner):
            self.series_notes.insert(0, inner)
        elif name_likeness(inner) >= 1 and len(inner.split()) <= 4:
            self.names.append(inner)  # "The Quiet Shore (Jane Roe)"
        else:
            return False
        return True


def _title_alone(segment: str, names: list[str]) -> tuple[str, list[str], list[str]]:
    """(title, creators, alternates) when one segment is left: `The Quiet Shore by Jane Roe`, or
    a title with names in parentheses, which could be the author or an alternate title."""
    title = segment
    creators: list[str] = []
    alternates: list[str] = []
    if names:
        creators = split_creators(names)
        alternates += names  # both readings: the creator check settles it
    by = _BY_AUTHOR.match(segment)
    if by and name_likeness(by.group("author")) >= 1:
        title, creators = by.group("title"), split_creators(by.group("author"))
        alternates.append(segment)
    return title, creators, alternates


def _author_and_title(segments: list[str], *, underscored: bool) -> tuple[str, list[str], list[str], list[str]]:
    """(title, creators, alternates, notes) from `Author - Title` or `Title - Author`: the end that
    reads clearly more as a name is the author; when neither does, both readings are kept."""
    first, last = name_likeness(segments[0]), name_likeness(segments[-1])
    if first - last >= 2:
        return " - ".join(segments[1:]), split_creators(segments[0]), [], []
    if last - first >= 2:
        return " - ".join(segments[:-1]), split_creators(segments[-1]), [], []
    creators = split_creators(segments[0]) + split_creators(segments[-1])
    # Books3 mostly writes "Author - Title"; "Title-Author" when words are joined by "_".
    if underscored:
        title, other = " - ".join(segments[:-1]), " - ".join(segments[1:])
    else:
        title, other = " - ".join(segments[1:]), " - ".join(segments[:-1])
    return title, creators, [other], ["author and title order unclear; both readings kept"]


def _split_at_hyphen(text: str) -> list[str]:
    """`Jane Roe-The Quiet Shore`: split at the hyphen that best separates a name from a
    title; a hyphenated word or name ("Mei-Lin", "Well-Being") stays whole unless clear."""
    best, best_margin = [text], 1
    phrases = []  # hyphens joining two phrases ("Marisol Farouk-Shallow Beekeeper"), not two words
    for match in _INNER_HYPHEN.finditer(text):
        left, right = text[: match.start()].strip(), text[match.end() :].strip()
        if not left or not right:
            continue
        margin = abs(name_likeness(left) - name_likeness(right))
        if margin > best_margin:
            best, best_margin = [left, right], margin
        if " " in left and " " in right:
            phrases.append([left, right])
    if len(best) == 1 and len(phrases) == 1:
        return phrases[0]  # which side is the author stays open: both readings are kept
    return best


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


def _looks_like_series_note(segment: str) -> bool:
    return bool(SERIES_NOTE.search(segment)) and len(segment.split()) <= 6


def _isbn_from(text: str) -> str:
    for candidate in _ISBN_IN_TEXT.findall(text):
        digits = candidate.replace(" ", "").replace("-", "")
        if len(digits) in (10, 13):
            try:
                return normalize_isbn(digits)
            except ValidationError:
                continue
    return ""
