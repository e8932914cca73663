"""People's names as listings write them.

A creators column holds several people in many spellings ("Roe, Jane; John Doe", "Jane Roe &
John Doe"): `split_creators` gives one name per person, as written. A book file name holds a
name and a title in either order: `name_likeness` scores how much a piece of it reads as people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from claims.listings.text import SERIES_NOTE
from claims.matching import LEADING_ARTICLES

_CREATOR_SEPARATOR = re.compile(r"\s*;\s*|\s*&\s*|\s+and\s+|\s+with\s+|\s*\|\s*|\s+/\s+", re.IGNORECASE)
_NAME_SUFFIX_PIECE = re.compile(r"^(?:jr|sr|ii|iii|iv|phd|md|esq|obe|mbe|cbe)\.?$", re.IGNORECASE)
_NOT_A_NAME = re.compile(
    r"^(?:et al\.?|ed\.?|eds\.?|editors?|trans\.?|translator|illustrator|n/?a|unknown|"
    r"anonymous|various|various authors)$",
    re.IGNORECASE,
)
# What _NOT_A_NAME and _NAME_SUFFIX_PIECE can match in a name of letters and spaces only.
_NOT_NAMES_OR_SUFFIXES = frozenset(
    {
        "et al",
        "various authors",
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

# Words that give a title away when they follow its first word ("Harbor of Glass"), unless they
# are also name particles ("Anne de Vries"): the particles are not held against a name.
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
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.")
_TITLE_PUNCTUATION = re.compile(r"[?!:;\"]")
_SEVERAL_PEOPLE = re.compile(r"&|;|\band\b")
_DIGIT = re.compile(r"\d")


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
    if _is_one_plain_name(text):
        return [text]
    names: list[str] = []
    for part in _CREATOR_SEPARATOR.split(text):
        names += _names_in_part(part)
    return [name for name in names if any(char.isalpha() for char in name)]


def _is_one_plain_name(text: str) -> bool:
    """One name of letters ("Jane Roe"), the usual case: no separators, commas or suffixes."""
    if not text.replace(" ", "").isalpha():
        return False
    if text.isascii():
        lowered = text.lower()
        return lowered not in _NOT_NAMES_OR_SUFFIXES and " and " not in lowered and " with " not in lowered
    return (
        _CREATOR_SEPARATOR.search(text) is None
        and _NOT_A_NAME.match(text) is None
        and _NAME_SUFFIX_PIECE.match(text) is None
    )


def _names_in_part(part: str) -> list[str]:
    """The names in one part between separators, whose commas may join "Last, First" or list people."""
    part = part.strip(" ,")
    if not part or _NOT_A_NAME.match(part):
        return []
    pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
    suffixes = [piece for piece in pieces if _NAME_SUFFIX_PIECE.match(piece)]
    pieces = [piece for piece in pieces if not _NAME_SUFFIX_PIECE.match(piece) and not _NOT_A_NAME.match(piece)]
    if not pieces:
        return []
    found = _names_from_pieces(pieces)
    if suffixes and found:
        found[-1] = f"{found[-1]} {' '.join(suffixes)}"  # "Jane Roe, Jr."
    return found


def _names_from_pieces(pieces: list[str]) -> list[str]:
    """Comma-separated pieces -> names: a one-word piece is a surname followed by its first names."""
    if len(pieces) == 1:
        return [pieces[0]]
    if len(pieces) == 2 and not all(len(piece.split()) >= 2 for piece in pieces):
        return [f"{pieces[0]}, {pieces[1]}"]  # "Roe, Jane"
    if all(len(piece.split()) >= 2 for piece in pieces):
        return pieces  # "Jane Roe, John Doe"
    found, index = [], 0
    while index < len(pieces):
        if len(pieces[index].split()) == 1 and index + 1 < len(pieces):
            found.append(f"{pieces[index]}, {pieces[index + 1]}")  # "Roe, Jane, Doe, John"
            index += 2
        else:
            found.append(pieces[index])
            index += 1
    return found


def name_likeness(segment: str) -> int:
    """How much a file-name segment looks like a person's name rather than a title.

    Positive: "Roe, Jane", "J. Q. Roe", two or three capitalised words. Negative: an article
    in front, lower-case title words, digits, punctuation. Only a clear margin between the
    two segments decides which is the author.
    """
    text = segment.strip()
    if not text:
        return -9
    if text.isascii() and text.replace(" ", "").isalpha():
        words = text.split()
        if "and" not in words:  # one person at most: the text alone decides
            return _plain_name_likeness(text, words)
    return _name_likeness_in_full(text)


def _plain_name_likeness(text: str, words: list[str]) -> int:
    """name_likeness for ASCII letters and spaces (most segments): no comma, initials, digits or
    punctuation to score, and not several people."""
    lowered = text.lower().split()
    score = _article_score(lowered)
    if _has_title_words(lowered):
        score -= 2
    if 2 <= len(words) <= 4 and ("".join([word[0] for word in words]).isupper() or _all_capitalised(words)):
        score += 1
    return score - 2 if len(words) > 5 else score


def _name_likeness_in_full(text: str) -> int:
    comma = "," in text
    spaced = text.replace(",", " ") if comma else text
    words = spaced.split()
    if not words:
        return -9  # only commas ("Jane Roe - ,.epub"): nothing that reads as a name
    lowered = spaced.lower().split()
    # Letters and spaces only (most segments): no initials, digits, punctuation or "&" to look for.
    plain = text.replace(" ", "").isalpha()
    score = 3 if comma and _looks_last_first(text) else 0
    if not plain:
        score += 2 if _INITIAL.search(text) else 0
        score -= 3 if _DIGIT.search(text) else 0
        score -= 3 if _TITLE_PUNCTUATION.search(text) else 0
    score += _article_score(lowered)
    if _has_title_words(lowered):
        score -= 2
    several = "and" in words if plain else _SEVERAL_PEOPLE.search(text) is not None
    if several or comma:
        score += _people_score(text, words, several=several)
    elif 2 <= len(words) <= 4 and _all_capitalised(words):
        score += 1  # one name, as written: the same test as _people_score's with the text as the only piece
    if len(words) > 5:
        score -= 2
    return score


def _looks_last_first(text: str) -> bool:
    """Whether a segment with a comma reads as "Roe, Jane", not "Shore Trilogy, #2" or "Shore, Book 2"."""
    head, _, tail = text.partition(",")
    return (
        "," not in tail
        and 1 <= len(head.split()) <= 3
        and 1 <= len(tail.split()) <= 3
        and not (SERIES_NOTE.search(text) or tail.strip().lower().startswith(("book", "part", "vol")))
    )


def _people_score(text: str, words: list[str], *, several: bool) -> int:
    """A segment with commas or "and", "&", ";": more name-like when every piece is a name."""
    pieces = split_creators(text)
    piece_words = [piece.replace(",", " ").split() for piece in pieces]
    score = 0
    if len(words) >= 2 and pieces and all(1 <= len(name) <= 4 and _all_capitalised(name) for name in piece_words):
        score += 1
    if several and len(pieces) >= 2 and all(2 <= len(name) <= 4 for name in piece_words):
        score += 2  # "Jane Roe & John Doe": several people
    return score


def _article_score(lowered: list[str]) -> int:
    """An article in front reads as a title: "The Quiet Shore" (not "La Rue", a two-word name)."""
    if lowered[0] in ("the", "a", "an"):
        return -3
    return -1 if lowered[0] in LEADING_ARTICLES and len(lowered) > 2 else 0


def _has_title_words(lowered: list[str]) -> bool:
    return not _TITLE_WORDS.isdisjoint(lowered[1:]) and any(
        word in _TITLE_WORDS and word not in _NAME_PARTICLES for word in lowered[1:]
    )


def _all_capitalised(words: list[str]) -> bool:
    return all(word[0].isupper() or word.lower() in _NAME_PARTICLES for word in words)
