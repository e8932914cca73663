"""People's names reduced to comparison form (`name_tokens`) and compared (`name_match`)."""

from __future__ import annotations

import re
from functools import lru_cache

from claims.matching.titles import fold_text

_NAME_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NAME_ROLES = re.compile(
    r"\b(?:edited|translated|illustrated|introduced|adapted|written|directed|compiled|narrated|read)\s+by\b"
    r"|\b(?:eds?|trans|transl|tr|illus|intro|comp|et al|editor|editors|translator|illustrator)\b\.?"
)
# Every word _NAME_ROLES can start a match at, in a name of letters and spaces.
_ROLE_WORDS = frozenset(
    {
        "edited",
        "translated",
        "illustrated",
        "introduced",
        "adapted",
        "written",
        "directed",
        "compiled",
        "narrated",
        "read",
        "by",
        "ed",
        "eds",
        "trans",
        "transl",
        "tr",
        "illus",
        "intro",
        "comp",
        "et",
        "editor",
        "editors",
        "translator",
        "illustrator",
    }
)
_NAME_WORDS = re.compile(r"[^\W_]+")
_NAME_HONORIFICS = frozenset(
    {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "rev", "reverend", "lord", "lady"}
)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "obe", "mbe", "cbe", "dphil"})


@lru_cache(maxsize=200_000)
def name_tokens(name: str) -> tuple[str, ...]:
    """A person's name as lower-case, unaccented words, given names first, surname last.

    "Roe, Jane Q." -> ("jane", "q", "roe"); "Dr. Renée O'Hara (ed.)" -> ("renee", "ohara").
    """
    if name.isascii() and name.replace(" ", "").isalpha():
        # Plain words ("Jane Roe"), the usual case: no notes, accents, apostrophes or commas.
        words = name.lower().split()
        if _ROLE_WORDS.isdisjoint(words):  # nothing for _NAME_ROLES to take out
            while len(words) > 1 and words[0] in _NAME_HONORIFICS:
                words.pop(0)
            while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
                words.pop()
            return tuple(words)
    text = _NAME_NOTES.sub(" ", fold_text(name)).casefold().replace("'", "")
    text = _NAME_ROLES.sub(" ", text)
    if "," in text:
        head, _, tail = text.partition(",")
        tail_words = _NAME_WORDS.findall(tail)
        text = f"{tail} {head}" if tail_words and not all(word in _NAME_SUFFIXES for word in tail_words) else head
    words = _NAME_WORDS.findall(text)
    while len(words) > 1 and words[0] in _NAME_HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return tuple(words)


FULL_NAME, INITIALS, SURNAME_ONLY = 3, 2, 1
NAME_PARTICLES = frozenset(
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
        "dos",
        "das",
        "st",
        "mac",
        "mc",
        "y",
    }
)


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
    if (
        len(member) > 1
        and len(creator) > 1
        and (sorted(member) == sorted(creator) or "".join(member) == "".join(creator))
    ):
        return FULL_NAME  # surname-first order, "Mary Ann" / "Maryann"
    if member[-1] != creator[-1]:
        return 0
    if len(creator) == 1:
        return SURNAME_ONLY if len(member) > 1 or member == creator else 0
    if (
        len(creator) < len(member)
        and member[-len(creator) :] == creator
        and all(word in NAME_PARTICLES for word in creator[:-1])
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
