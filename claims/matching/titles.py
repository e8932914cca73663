"""Titles reduced to comparison form: `canonical_title`, `search_key`, `fold_text`.

Both sides of a match go through these, so "Night Harbor, The (Part II)" and "The Night
Harbour 2" meet: case, accents, punctuation, catalogue articles, number spellings and
British/American spellings do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from members.titles import ARTICLES, strip_accents

_LIGATURES = str.maketrans(
    {
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "ß": "ss",
        "‘": "'",
        "’": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "‐": "-",
        "‑": "-",
    }
)
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
LEADING_ARTICLES = frozenset(
    {
        "the",
        "a",
        "an",
        "le",
        "la",
        "les",
        "l",
        "el",
        "los",
        "las",
        "der",
        "das",
        "il",
        "gli",
        "lo",
        "het",
        "un",
        "une",
        "una",
        "uno",
        "ein",
        "eine",
        "een",
    }
)
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
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
    )
}
_NUMBER_WORDS = _SMALL_NUMBERS.keys() | _TENS.keys() | {"hundred", "thousand"}
_ORDINALS = {
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
    "eleventh": "11th",
    "twelfth": "12th",
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
_PART_WORDS = frozenset(
    {"part", "pt", "chapter", "chap", "ch", "vol", "volume", "episode", "ep", "book", "no", "number", "nr"}
)
_WORD_SPELLINGS = {
    "mr": "mister",
    "mrs": "missus",
    "dr": "doctor",
    "st": "saint",
    "mt": "mount",
    "vs": "versus",
    "jr": "junior",
    "sr": "senior",
    "n": "and",
    "grey": "gray",
    "ok": "okay",
    "xmas": "christmas",
}
# British and American spellings meet in the middle: harbour/harbor, theatre/theater,
# realise/realize, catalogue/catalog. Applied to both sides, so only the meeting matters.
_OUR = re.compile(r"(?<=\w\w)our(?=(?:s|ed|ing|ite|ites|ful|able|er|ers)?$)")
_TRE = re.compile(r"(?<=\w\w)([tb])re(?=s?$)")
_ISE = re.compile(r"(?<=\w\w\w)(?:is(?=ation|ations$)|ys(?=e|es|ed|ing$))")
_OGUE = re.compile(r"(?<=\w\w\w)ogue(?=s?$)")


# Words canonical_title cannot pass through as they are: numbers and _WORD_SPELLINGS.
_SPECIAL_OR_RESPELLED = _SPECIAL_TOKENS | _WORD_SPELLINGS.keys()

_SPELLINGS: dict[str, str] = {}  # token -> spelling, filled as tokens are seen
_SPELLINGS_MAX = 500_000


def _spelling(token: str) -> str:
    spelled = _WORD_SPELLINGS.get(token) or token
    if len(token) >= 5 and not token[0].isdigit() and spelled is token:
        # Each pattern only where the letters it needs are there: most words have none.
        spelled = _OUR.sub("or", token) if len(token) >= 6 and "our" in token else token
        if "re" in spelled:
            spelled = _TRE.sub(r"\1er", spelled)
        if "ys" in spelled or "isation" in spelled:
            spelled = _ISE.sub(lambda match: match.group(0)[0] + "z", spelled)
        if "ogue" in spelled:
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
            elif (value % 100 >= 20 and value % 10 == 0 and 0 < small < 10) or (value >= 100 and value % 100 == 0):
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
        out = [
            token
            for position, token in enumerate(out)
            if not (
                token in _PART_WORDS and position + 1 < len(out) and out[position + 1][:1].isdigit() and position > 0
            )
        ]
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


def _subtitled_tokens(lowered: str, plain: str) -> list[str] | None:
    """The tokens of an ASCII title of letters, digits and spaces with one colon (`lowered` in
    lower case, `plain` without its spaces), as canonical_title's patterns would cut it: a
    colon between digits is a time, not a subtitle. None for any other title."""
    if plain.count(":") != 1 or not plain.replace(":", "").isalnum():
        return None
    head, _, tail = lowered.partition(":")
    if head[-1:].isdigit() or tail[:1].isdigit():
        return head.split() + tail.split()
    tokens = [*head.split(), _SEP, *tail.split()]
    if tokens[0] == _SEP:
        tokens.pop(0)
    elif tokens[-1] == _SEP:
        tokens.pop()
    return tokens


def canonical_title(title: str) -> str:
    """The comparison form of a title: words lower case and unaccented, numbers as digits,
    catalogue articles moved back in front, and " : " where the first subtitle starts.

    "Night Harbor, The: Part II" -> "the night harbor : 2". Two titles are the same
    title when their canonical forms, with the spaces and the colon taken out, are equal.
    """
    text = title.strip()
    ascii_text = text.isascii()
    if not ascii_text:
        text = fold_text(text)
        ascii_text = text.isascii()
    if "," in text:
        text = _restore_article(text)
    if ascii_text:
        # Most titles are plain words by now (perhaps with a subtitle): no accents or punctuation
        # to deal with, so none of the patterns further down (which would make the same tokens).
        plain = text.replace(" ", "")
        lowered = text.lower()
        subtitled = not plain.isalnum()
        tokens = _subtitled_tokens(lowered, plain) if subtitled else lowered.split()
        if tokens is not None:
            if not _SPECIAL_OR_RESPELLED.isdisjoint(tokens):
                canonical = " ".join(_normalise_tokens(tokens))
            elif (
                "our" in lowered
                or "tre" in lowered
                or "bre" in lowered
                or "ys" in lowered
                or "isation" in lowered
                or "ogue" in lowered
            ):  # what _OUR, _TRE, _ISE and _OGUE need
                spelled = _SPELLINGS.get
                canonical = " ".join([spelled(token) or _spelling(token) for token in tokens])
            elif subtitled or "  " in lowered:
                canonical = " ".join(tokens)  # no number, and no word _spelling would change
            else:
                return lowered  # the same words, single-spaced already
            return canonical.replace(_SEP, ":") if subtitled and _SEP in tokens else canonical
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
