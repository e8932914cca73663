"""Film and TV titles as databases, subtitle exports and release names write them.

- film databases put the year and alternate titles in the title and move the article to the
  end: `Night Harbor, The (2019)`, `Quiet Shore (a.k.a. Still Water) (2004)`, `Long Road, The
  (Longue Route, La) (2011)`;
- subtitle exports (OpenSubtitles, IMDb lists) name episodes `"Night Harbor" The Lighthouse` or
  `"Night Harbor" (2019) {The Lighthouse (#2.5)}`;
- release names: `Night.Harbor.2019.1080p.BluRay.x264`, `Night Harbor - S02E05 - The Lighthouse`.
"""

from __future__ import annotations

import re

from claims.listings.text import YEAR_GROUP, YEAR_WORD, ParsedTitle, clean, distinct_alternates, year_of
from claims.matching import EXTRA_WORK

_TRAILING_GROUP = re.compile(r"^(?P<head>.*?\S)\s*(?:\((?P<paren>[^()]*)\)|\[(?P<bracket>[^\[\]]*)\])\s*$", re.S)
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
_SCENE_SPLIT = re.compile(r"[._]")
_LEADING_YEAR = re.compile(r"^\((?P<year>\d{4})(?:/[IVX]+)?[^)]*\)\s*(?P<rest>.*)$", re.S)
_AIR_DATE = re.compile(r"\(\d{4}-\d\d-\d\d\)")
_SEASON_EPISODE_HINT = re.compile(r"[Ss]\d{1,2}[\s._]?[Ee]\d|\d{1,2}x\d\d")
_S_DIGIT = re.compile(r"[Ss]\d")  # what the hint's first branch starts with; the second needs an "x"


def looks_numbered(text: str) -> bool:
    """`S02E05` or `2x05` in the text (_SEASON_EPISODE_HINT), with the cheap tests first: the
    hint searched over a whole title is slower than most of the title's parsing."""
    return ("x" in text or _S_DIGIT.search(text) is not None) and _SEASON_EPISODE_HINT.search(text) is not None


def mentions_aka(text: str) -> bool:
    """Whether a title of plain words names an alternate ("aka", "also known as"); such a title
    cannot hold the other markers, "a.k.a." and " / "."""
    lowered = text.lower()
    return "aka " in lowered or "also known" in lowered


def parse_film_title(raw: str) -> ParsedTitle:
    """A film or TV title as databases and subtitle exports write it.

    `Long Road, The (Longue Route, La) (2011)` -> title "Long Road, The", alternate
    "Longue Route, La", year 2011. The article stays where the listing put it: the
    comparison keys move it back (matching.canonical_title), the display keeps it.
    """
    text = " ".join((raw or "").split())  # clean, inline: every title comes this way
    # The commonest shapes first, each the long way's answer without its machinery. At most one
    # of them can apply, and the first and last characters tell which.
    if text[:1] == '"':
        parsed = _quoted_episode(text)
    elif text[-1:] == ")":
        parsed = _catalogue_entry(text)
    else:
        parsed = _plain_words(text)
    return parsed if parsed is not None else _film_title_in_full(raw, text)


def _plain_words(text: str) -> ParsedTitle | None:
    """Most titles are plain words: no quotes, groups, dots or episode numbers to take apart."""
    plain = text.replace(" ", "")
    if not plain.isalnum() or (not plain.isalpha() and looks_numbered(text)):
        return None
    if not mentions_aka(text):
        return ParsedTitle(title=text)
    title, alternates = _split_inline_alternates(text)
    return ParsedTitle(title=title, alternate_titles=distinct_alternates(alternates, title))


def _catalogue_entry(text: str) -> ParsedTitle | None:
    """`Night Harbor, The (2019)`, the usual catalogue entry: words (perhaps a moved article) and
    the year, which is all peel_trailing_groups would find."""
    if text[-7:-5] != " (" or text[-1] != ")":
        return None
    year, head = year_of(text[-5:-1]), text[:-7]
    if year is None or not head.replace(" ", "").replace(",", "").isalpha() or mentions_aka(head):
        return None
    return ParsedTitle(title=head, year=year)


def _quoted_episode(text: str) -> ParsedTitle | None:
    """`"Night Harbor" The Lighthouse`, the usual episode: the series, then plain words."""
    if text[:1] != '"' or " " not in text:
        return None
    close = text.find('"', 1)
    rest = text[close + 1 :].strip()
    if close <= 1 or not rest.replace(" ", "").isalnum() or mentions_aka(rest):
        return None
    return ParsedTitle(title=rest, series=text[1:close].strip())


# What a title says about the episode it names: (the rest of its text, series, season, episode,
# year). A plain tuple: this is on every long-way title's path, and a NamedTuple costs more.
_Episode = tuple[str, str, int | None, int | None, int | None]


def _film_title_in_full(raw: str, text: str) -> ParsedTitle:
    """Any title: a release name, an episode (quoted series or numbered), then groups at the end."""
    year_from_name = None
    scene = _scene_name(text) if " " not in text else None  # a release name has no spaces
    if scene:
        text, year_from_name = scene
    quoted = _QUOTED_SERIES.match(text) if text.startswith('"') else None
    if quoted:
        text, series, season, episode, year_from_name = _quoted_series_episode(quoted, year_from_name)
    else:
        text, series, season, episode, year_from_name = _numbered_episode(text, year_from_name)
    if text.endswith((")", "]")):
        title, alternates, year, tags = peel_trailing_groups(text)
    else:
        title, alternates, year, tags = text, [], None, []
    if title:
        title, inline = _split_inline_alternates(title)
        alternates = inline + alternates
    if not title:
        # An episode listed only by number: its title is unknown, the series names it.
        title = series or clean(raw or "")
    return ParsedTitle(
        title=title,
        alternate_titles=distinct_alternates(alternates, title),
        year=year or year_from_name,
        series=series,
        season=season,
        episode=episode,
        notes=("tags: " + ", ".join(tags),) if tags else (),
    )


def _quoted_series_episode(quoted: re.Match[str], year: int | None) -> _Episode:
    """`"Night Harbor" (2019) {The Lighthouse (#2.5)}`: the series in quotes, perhaps its year,
    then the episode's title, in braces with its number in IMDb lists."""
    series = quoted.group("series").strip()
    rest = quoted.group("rest").strip()
    season = episode = None
    leading = _LEADING_YEAR.match(rest) if rest.startswith("(") else None
    if leading:
        year = int(leading.group("year"))
        rest = leading.group("rest").strip()
    braces = _IMDB_EPISODE.match(rest) if rest.startswith("{") else None
    if braces:
        rest = braces.group("inner").strip()
        numbered = _IMDB_EPISODE_NUMBER.search(rest)
        if numbered:
            season, episode = int(numbered.group("season")), int(numbered.group("episode"))
            rest = _IMDB_EPISODE_NUMBER.sub("", rest).strip()
        if _AIR_DATE.fullmatch(rest) or rest.lower().rstrip(" #") == "episode":
            rest = ""  # an untitled episode: "{Episode #2.5}", "{(2019-05-03)}"
    return rest, series, season, episode, year


def _numbered_episode(text: str, year: int | None) -> _Episode:
    """`Night Harbor - S02E05 - The Lighthouse`, `Night Harbor 2x05`: the series before the number
    (its year, if it shows one, is the episode's), the episode's title after it."""
    numbered = _SEASON_EPISODE.match(text) if looks_numbered(text) else None
    if not numbered:
        return text, "", None, None, year
    series, _, series_year, _ = peel_trailing_groups(numbered.group("series").strip(" .-_"))
    return (
        (numbered.group("title") or "").strip(" .-_"),
        series,
        int(numbered.group("season") or numbered.group("season_x")),
        int(numbered.group("episode") or numbered.group("episode_x")),
        year or series_year,
    )


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


def peel_trailing_groups(text: str) -> tuple[str, list[str], int | None, list[str]]:
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
        plain_year = year_of(tail[-5:-1]) if tail[-6:-5] == "(" and tail[-1] == ")" else None
        if plain_year is not None and tail[:-6].strip():
            # "(2019)", the usual group: what the patterns below make of it, without them.
            year = year or plain_year
            text = tail[:-6].strip()
            continue
        match = _TRAILING_GROUP.match(text)
        if not match:
            break
        inner = clean(match.group("paren") if match.group("paren") is not None else match.group("bracket"))
        head = match.group("head").strip()
        if not inner:
            text = head
            continue
        year_match = YEAR_GROUP.match(inner)
        if year_match:
            if year is None and year_match.group("year"):
                year = int(year_match.group("year"))
        elif aka := _AKA.match(inner):
            alternates.insert(0, aka.group("alternate"))
        elif _FILM_TAGS.match(inner):
            tags.insert(0, inner)
        elif EXTRA_WORK.match(inner.casefold()):
            text = f"{head}: {inner}"  # "Night Harbor (Trailer)" is another work than the film
            break
        elif inner[0].islower() and not inner.startswith(("a.k.a", "aka")):
            alternates.insert(0, head)
            break  # "Birdman (or The Unexpected Virtue of Ignorance)" is one title
        else:
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
    if len(words) > 1 and YEAR_WORD.fullmatch(words[-1]):
        year = int(words.pop())
    return (" ".join(words), year) if words else None
