"""Validate and normalise the identifiers a work can carry.

Each `normalize_*` function takes what a person typed or pasted (with spaces,
hyphens, prefixes or a whole URL) and returns the canonical form we store, or
raises `django.core.exceptions.ValidationError` with a message a member can act on.
python-stdnum covers ISBN and ISAN and the ISO 7064 check that EIDR uses;
IMDb ids have no check digit, so only their shape is checked.
"""

import re
from typing import TypeGuard

from django.core.exceptions import ValidationError
from stdnum import isan, isbn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_37_36

# An IMDb title id, the one definition: "tt" and 7 to 10 digits, either case ("TT0111161" is
# stored as "tt0111161"). normalize_imdb also finds one in a URL; listings use is_clean_imdb_id.
IMDB_ID = r"tt\d{7,10}"
IMDB_RE = re.compile(rf"(?:^|/|\b)({IMDB_ID})(?:\b|/|$)", re.IGNORECASE)
_WHOLE_IMDB_ID = re.compile(IMDB_ID, re.IGNORECASE)
EIDR_PREFIX = "10.5240/"


def is_clean_imdb_id(value: object) -> TypeGuard[str]:
    """Whether `value` is an IMDb title id and nothing else, the way most listings write it.

    Then `value.lower()` is what normalize_imdb returns, without its search or the exception it
    raises for anything else: the listing parsers test every row's identifier this way first.
    """
    return isinstance(value, str) and _WHOLE_IMDB_ID.fullmatch(value) is not None


def normalize_imdb(value: str) -> str:
    """`tt0111161`, `TT0111161`, or an imdb.com title URL -> `tt0111161`."""
    text = value.strip()
    match = IMDB_RE.search(text)
    if not match or (not text.lower().startswith("tt") and "imdb" not in text.lower()):
        raise ValidationError(
            "An IMDb title id looks like tt0111161 (tt and 7 to 10 digits), or paste the IMDb page address."
        )
    return match.group(1).lower()


def normalize_isbn(value: str) -> str:
    """ISBN-10 or ISBN-13, with or without hyphens -> ISBN-13 digits."""
    try:
        return isbn.to_isbn13(isbn.validate(value.strip().removeprefix("ISBN").strip(": ")))
    except StdnumError as error:
        raise ValidationError(f"That is not a valid ISBN ({error}). Check the digits on the copyright page.") from None


def normalize_isan(value: str) -> str:
    """ISAN -> the work's root and episode part with its check character, e.g. 0000-0000-D07A-0090-Q.

    The version part (the last 8 digits) tells cuts and dubs apart; residuals
    follow the work, so two versions of one work are one work here.
    """
    try:
        compact = isan.validate(re.sub(r"^isan[\s:]*", "", value.strip(), flags=re.IGNORECASE))
    except StdnumError as error:
        raise ValidationError(f"That is not a valid ISAN ({error}).") from None
    return isan.format(compact[:17])


def normalize_eidr(value: str) -> str:
    """EIDR content id -> 10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C (upper case, check character verified)."""
    text = value.strip().upper().removeprefix("DOI:").strip()
    text = re.sub(r"^HTTPS?://(DX\.)?DOI\.ORG/", "", text)
    if not text.startswith(EIDR_PREFIX):
        raise ValidationError("An EIDR id starts with 10.5240/, e.g. 10.5240/7791-8534-2C23-9030-8610-5.")
    body = text.removeprefix(EIDR_PREFIX).replace("-", "")
    if not re.fullmatch(r"[0-9A-F]{20}[0-9A-Z]", body):
        raise ValidationError("An EIDR id has 20 hexadecimal digits and a check character after 10.5240/.")
    if not mod_37_36.is_valid(body):
        raise ValidationError("That EIDR id's check character does not match; check for a typing error.")
    groups = [body[i : i + 4] for i in range(0, 20, 4)]
    return EIDR_PREFIX + "-".join([*groups, body[20]])


NORMALIZERS = {
    "imdb_id": normalize_imdb,
    "isbn": normalize_isbn,
    "isan": normalize_isan,
    "eidr": normalize_eidr,
}


def detect_and_normalize(value: str) -> tuple[str, str]:
    """Work out which scheme a single pasted identifier belongs to (CSV imports have one column).

    Returns (field name, normalised value). Raises ValidationError naming the
    accepted schemes when none fits.
    """
    text = value.strip()
    lowered = text.lower()
    if lowered.startswith("tt") or "imdb" in lowered:
        return "imdb_id", normalize_imdb(text)
    if "10.5240" in lowered:
        return "eidr", normalize_eidr(text)
    if lowered.startswith("isan") or len(re.sub(r"[\s-]", "", text)) in (17, 26):
        return "isan", normalize_isan(text)
    try:
        return "isbn", normalize_isbn(text)
    except ValidationError:
        pass
    raise ValidationError(
        f"{text!r} is not an identifier we recognise: use an IMDb id (tt0111161), "
        "an ISBN, an ISAN or an EIDR id (10.5240/…)."
    )
