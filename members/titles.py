"""Title normalisation used to tell whether two people mean the same work.

`title_key` reduces a title to a comparison key: case, accents, punctuation
and spacing do not matter, `&` is `and`, and a leading article moved to the end
the way catalogues list titles ("Night Harbor, The") is put back in front.
The claims app builds richer matching on top of this; this is the key two
members' credits must share to be one Work row.
"""

import re
import unicodedata

# Articles that catalogues move to the end of a title, in the languages our members work in.
ARTICLES = {
    "the",
    "a",
    "an",
    "le",
    "la",
    "les",
    "l'",
    "un",
    "une",
    "el",
    "los",
    "las",
    "una",
    "unos",
    "unas",
    "der",
    "die",
    "das",
    "ein",
    "eine",
    "il",
    "lo",
    "gli",
    "i",
    "uno",
    "o",
    "os",
    "as",
    "um",
    "uma",
    "de",
    "het",
    "een",
}
TRAILING_ARTICLE_RE = re.compile(r"^(?P<body>.+?),\s*(?P<article>[^\s,]+'?)$")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def restore_leading_article(title: str) -> str:
    """ "Night Harbor, The" -> "The Night Harbor"; "Longue Route, La" -> "La Longue Route"."""
    match = TRAILING_ARTICLE_RE.match(title.strip())
    if match and match.group("article").lower() in ARTICLES:
        article = match.group("article")
        separator = "" if article.endswith("'") else " "
        return f"{article}{separator}{match.group('body')}"
    return title.strip()


def title_key(title: str) -> str:
    """The comparison key of a title: lower case, no accents or punctuation, single spaces."""
    text = restore_leading_article(unicodedata.normalize("NFKC", title))
    text = strip_accents(text).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"['’`]", "", text)  # "Schindler's" = "Schindlers"
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())
