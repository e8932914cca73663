"""Two made-up AI training sets for the demo data (`manage.py load_demo`), with their manifests.

Nothing is downloaded: each manifest is generated from fixed word lists with a
fixed random seed, so every run gives the same bytes. A few thousand fictional
films, series episodes and books fill each listing; into them go the demo
members' works, written the ways real listings write them (article moved to
the end, an "a.k.a." title, OpenSubtitles-style episode rows, a Books3 file
name, an IMDb id where the credit has one), a few near-misses the matcher must
not take for them (a remake decades apart, a same-title book by another
author) and a few broken rows staff see as rejected.

The demo works are written out here as the listings spell them rather than
read from the demo credits: a listing is what a developer published, not a
copy of our data. tests/claims/discovery/test_demo_sets.py checks the two stay in step.
"""

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from claims.enums import Media

SEED = 2026

# Words of the demo members' titles. Generated titles never use them, so the only
# entries the demo members' credits find are the ones planted on purpose below.
RESERVED_WORDS = frozenset(
    {
        "salt",
        "road",
        "harbor",
        "harbour",
        "lights",
        "midnight",
        "quiet",
        "desert",
        "frequencies",
        "frequency",
        "static",
        "county",
        "general",
        "nights",
        "code",
        "amber",
        "aftershock",
        "northbound",
        "cartographer",
        "cartographers",
        "cartographer's",
        "daughter",
        "paper",
        "boats",
        "starfall",
        "tactics",
        "neon",
        "tide",
        "undertow",
        "brightwater",
        "coffee",
        "ritual",
        "brooks",
        "vega",
        "park",
    }
)

ADJECTIVES = [
    "Broken",
    "Hollow",
    "Crimson",
    "Iron",
    "Golden",
    "Hidden",
    "Last",
    "Lonely",
    "Burning",
    "Frozen",
    "Wild",
    "Distant",
    "Bitter",
    "Velvet",
    "Glass",
    "Silver",
    "Scarlet",
    "Southern",
    "Endless",
    "Restless",
    "Sleeping",
    "Forgotten",
    "Painted",
    "Crooked",
    "Lucky",
    "Savage",
    "Gentle",
    "Electric",
    "Black",
    "White",
    "Blue",
    "Little",
    "Secret",
    "Final",
    "Open",
    "Falling",
    "Rising",
    "Wandering",
    "Stolen",
    "Borrowed",
    "Perfect",
    "Dangerous",
    "Sweet",
    "Cold",
    "Brave",
    "Hungry",
    "Honest",
    "Shallow",
    "Deep",
]
NOUNS = [
    "Orchard",
    "Garden",
    "River",
    "Mountain",
    "Country",
    "Kingdom",
    "Mirror",
    "Window",
    "Letter",
    "Promise",
    "Summer",
    "Winter",
    "Autumn",
    "Horizon",
    "Shadow",
    "Island",
    "Valley",
    "Station",
    "Bridge",
    "Engine",
    "Compass",
    "Lantern",
    "Crown",
    "Thief",
    "Witness",
    "Stranger",
    "Sister",
    "Brother",
    "Widow",
    "Hunter",
    "Dancer",
    "Sailor",
    "Soldier",
    "Prophet",
    "Doctor",
    "Teacher",
    "Canyon",
    "Meadow",
    "Tower",
    "Palace",
    "Hotel",
    "Diner",
    "Carnival",
    "Circus",
    "Harvest",
    "Frontier",
    "Empire",
    "Signal",
    "Echo",
    "Storm",
    "Fire",
    "Flood",
    "Current",
    "Wave",
    "Shore",
    "Coast",
    "Lighthouse",
    "Feather",
    "Stone",
    "Bone",
    "Glove",
    "Key",
    "Clock",
    "Map",
    "Song",
    "Ballad",
    "Secret",
    "Heart",
    "Saint",
    "Wolf",
    "Fox",
    "Raven",
    "Heron",
    "Bear",
]
PLACES = [
    "Marrow Creek",
    "Ashford",
    "Bellhaven",
    "Corriston",
    "Dunmore",
    "Elkridge",
    "Fallowmere",
    "Greyhill",
    "Havenport",
    "Ironvale",
    "Juniper Falls",
    "Kestrel Bay",
    "Larkmoor",
    "Millbrook",
    "Oakhurst",
    "Pinecrest",
    "Redwater",
    "Stonebridge",
    "Thornbury",
    "Willow Glen",
    "Caldera",
    "Vantage Point",
    "Sable Ridge",
]
SEASONS = ["Spring", "Summer", "Autumn", "Winter", "June", "October", "December"]
FIRST_NAMES = [
    "Ada",
    "Beatrix",
    "Calvin",
    "Delia",
    "Emmett",
    "Frances",
    "Gideon",
    "Hazel",
    "Isaac",
    "June",
    "Kit",
    "Lionel",
    "Mabel",
    "Nolan",
    "Opal",
    "Percy",
    "Rosalind",
    "Silas",
    "Theodora",
    "Vera",
    "Walter",
    "Wren",
    "Agnes",
    "Bruno",
    "Clara",
    "Dmitri",
    "Esther",
    "Felix",
    "Greta",
    "Hugo",
    "Imogen",
    "Jasper",
    "Lena",
    "Marcus",
    "Nadia",
    "Oscar",
    "Priya",
    "Quentin",
    "Rafael",
    "Sofia",
    "Tobias",
    "Ursula",
    "Viktor",
    "Yara",
    "Zadie",
    "Amara",
    "Kenji",
    "Leila",
]
SURNAMES = [
    "Ashworth",
    "Blackwood",
    "Castellano",
    "Delacroix",
    "Ellery",
    "Fairweather",
    "Galloway",
    "Hartigan",
    "Ingram",
    "Jablonski",
    "Kowalczyk",
    "Lindqvist",
    "Montague",
    "Nakamura",
    "Okonkwo",
    "Pemberton",
    "Quinlan",
    "Rasmussen",
    "Sorensen",
    "Thackeray",
    "Underhill",
    "Valdivia",
    "Whitlock",
    "Yardley",
    "Zielinski",
    "Abernathy",
    "Bellweather",
    "Carrington",
    "Dunleavy",
    "Esposito",
    "Fitzgerald",
    "Greenhalgh",
    "Hollister",
    "Iwasaki",
    "Kincaid",
    "Lockhart",
    "Mbeki",
    "Novak",
    "Oyelaran",
    "Prescott",
    "Ramachandran",
    "Sinclair",
    "Tremaine",
    "Vasquez",
    "Winterbourne",
]
# (language name, ISO 639) weighted towards English, as subtitle sites are.
LANGUAGES = [("English", "en")] * 6 + [
    ("Spanish", "es"),
    ("French", "fr"),
    ("Portuguese (BR)", "pb"),
    ("German", "de"),
    ("Italian", "it"),
    ("Dutch", "nl"),
    ("Polish", "pl"),
    ("Turkish", "tr"),
    ("Romanian", "ro"),
    ("Greek", "el"),
]
# Foreign release titles for the "(a.k.a. …)" form: (language, template).
FOREIGN_TITLES = [
    ("Spanish", "El {noun_es} {adj_es}"),
    ("French", "Le {noun_fr} {adj_fr}"),
    ("German", "Der {adj_de} {noun_de}"),
]
NOUNS_ES = ["jardín", "río", "espejo", "ladrón", "invierno", "faro", "reino", "testigo", "extraño"]
ADJECTIVES_ES = ["roto", "oculto", "perdido", "dorado", "salvaje", "último", "frío"]
NOUNS_FR = ["jardin", "fleuve", "miroir", "voleur", "hiver", "phare", "royaume", "témoin", "étranger"]
ADJECTIVES_FR = ["brisé", "caché", "perdu", "doré", "sauvage", "dernier", "froid"]
NOUNS_DE = ["Garten", "Fluss", "Spiegel", "Dieb", "Winter", "Leuchtturm", "Zeuge", "Fremde"]
ADJECTIVES_DE = ["zerbrochene", "verborgene", "verlorene", "goldene", "wilde", "letzte", "kalte"]

SUBTITLE_COLUMNS = [
    "IDSubtitle",
    "MovieName",
    "MovieYear",
    "LanguageName",
    "ISO639",
    "SubAddDate",
    "ImdbID",
    "SeriesSeason",
    "SeriesEpisode",
    "SeriesIMDBParentName",
    "MovieKind",
]


@dataclass(frozen=True)
class DemoTrainingSet:
    """A training set's public details (claims.services.discovery.training_sets FIELDS) and its manifest file."""

    details: dict
    file_name: str
    manifest: Callable[[], bytes]

    @property
    def name(self) -> str:
        return self.details["name"]

    @property
    def version(self) -> str:
        return self.details["version"]


# --------------------------------------------------------------------------- film and TV subtitles

# The demo members' films and episodes as the subtitle export lists them:
# (MovieName, MovieYear, ImdbID, season, episode, series, language).
SUBTITLE_WORKS = [
    # Catalogue style, article moved to the end, with the IMDb id the credits carry.
    ("Salt Road, The", "2016", "tt99000101", "", "", "", "English"),
    # Listed under its Spanish release title; the English one only as "a.k.a.".
    ("Medianoche en el puerto (a.k.a. Harbor Lights at Midnight)", "2021", "", "", "", "", "Spanish"),
    # Article moved and the year repeated in the name.
    ("Long Quiet, The (2019)", "2019", "", "", "", "", "English"),
    # Episodes: the series in quotes, then the episode title; numbers in their own columns.
    ('"Desert Frequencies" Pilot', "2023", "tt99000104", "1", "1", "Desert Frequencies", "English"),
    ('"Desert Frequencies" Static', "2023", "", "1", "4", "Desert Frequencies", "English"),
    ('"County General Nights" Code Amber', "2018", "", "2", "5", "County General Nights", "English"),
    ('"County General Nights" Aftershock', "2018", "", "2", "6", "County General Nights", "Portuguese (BR)"),
    # A series credit: every listed episode of it is the camera operator's work.
    ('"Northbound" Crossing', "2020", "", "1", "1", "Northbound", "English"),
    ('"Northbound" The Last Ferry', "2020", "", "1", "2", "Northbound", "English"),
    ('"Northbound" Whiteout', "2020", "", "1", "3", "Northbound", "French"),
]
# Other episodes of the members' series, which are not their work (no match expected).
SUBTITLE_NEIGHBOURS = [
    ('"Desert Frequencies" Dead Air', "2023", "", "1", "2", "Desert Frequencies", "English"),
    ('"Desert Frequencies" Repeater', "2023", "", "1", "3", "Desert Frequencies", "English"),
    ('"County General Nights" Triage', "2018", "", "2", "4", "County General Nights", "English"),
    ('"County General Nights" Night Shift', "2017", "", "1", "1", "County General Nights", "English"),
]
# Same titles, other works: a western decades before the members' film and an
# older series of the same name. Matching either would be a mistake.
SUBTITLE_NEAR_MISSES = [
    ("Salt Road, The", "1958", "tt97004410", "", "", "", "English"),
    ('"Northbound" Episode #1.1', "1994", "", "1", "1", "Northbound", "English"),
    ('"Northbound" Episode #1.2', "1994", "", "1", "2", "Northbound", "English"),
]
# Rows a real export has: no name, a year nobody could mean.
SUBTITLE_BAD_ROWS = [
    ("", "2011", "tt97008812", "", "", "", "English"),
    ("", "", "", "3", "7", "", "English"),
    ("Ironvale Station", "20119", "", "", "", "", "English"),
    ("Glass Orchard, The", "2207", "", "", "", "", "Spanish"),
    ("Copper Saint", "0", "", "", "", "", "Turkish"),
]


def _usable(title: str) -> bool:
    words = title.lower().replace(":", " ").replace(",", " ").split()
    return not any(word.strip("'\"#.()") in RESERVED_WORDS for word in words)


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("f", "fe")) and noun not in ("Chief", "Roof"):
        return noun.removesuffix("e").removesuffix("f") + "ves"
    return noun + "es" if noun.endswith(("s", "x", "ch", "sh")) else noun + "s"


def _film_title(rng: random.Random) -> str:
    adjective, noun, other = rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(NOUNS)
    place, first = rng.choice(PLACES), rng.choice(FIRST_NAMES)
    return rng.choice(
        [
            f"The {adjective} {noun}",
            f"The {adjective} {noun}",
            f"{adjective} {noun}",
            f"{noun} of {place}",
            f"The {noun} of {place}",
            f"{first}'s {noun}",
            f"A {noun} in {rng.choice(SEASONS)}",
            place,
            f"The {_plural(noun)}",
            f"{adjective} {_plural(noun)}",
            f"The {noun} and the {other}",
            f"{first} {rng.choice(SURNAMES)}",
            f"{adjective} {noun}: The {other}",
            f"Return to {place}",
        ]
    )


def _catalogue_style(title: str) -> str:
    """`The Glass Orchard` -> `Glass Orchard, The`, as film databases sort titles."""
    for article in ("The ", "A "):
        if title.startswith(article) and ":" not in title:
            return f"{title.removeprefix(article)}, {article.strip()}"
    return title


def _foreign_title(rng: random.Random) -> tuple[str, str]:
    language, template = rng.choice(FOREIGN_TITLES)
    return language, template.format(
        noun_es=rng.choice(NOUNS_ES),
        adj_es=rng.choice(ADJECTIVES_ES),
        noun_fr=rng.choice(NOUNS_FR),
        adj_fr=rng.choice(ADJECTIVES_FR),
        noun_de=rng.choice(NOUNS_DE),
        adj_de=rng.choice(ADJECTIVES_DE),
    ).capitalize()


def _year(rng: random.Random) -> int:
    # Most subtitled titles are recent; a long tail reaches back to the 1950s.
    return min(2024, max(1950, round(rng.triangular(1950, 2025, 2016))))


def _imdb_id(rng: random.Random) -> str:
    # tt97…: an unassigned range, so no demo id is a real title's.
    return f"tt97{rng.randrange(1_000_000):06d}"


def _film_rows(rng: random.Random, count: int) -> list[tuple]:
    rows: list[tuple] = []
    seen: set[tuple[str, int]] = set()
    while len(rows) < count:
        title, year = _film_title(rng), _year(rng)
        if not _usable(title) or (title, year) in seen:
            continue
        seen.add((title, year))
        imdb = _imdb_id(rng) if rng.random() < 0.6 else ""
        shown = _catalogue_style(title) if rng.random() < 0.35 else title
        roll = rng.random()
        if roll < 0.06:
            language, foreign = _foreign_title(rng)
            rows.append((f"{foreign} (a.k.a. {title})", str(year), imdb, "", "", "", language))
            continue
        if roll < 0.12:
            shown = f"{shown} ({year})"
        # A film usually has subtitles in more than one language.
        for language, _ in rng.sample(LANGUAGES, k=rng.choice([1, 1, 1, 2, 2, 3])):
            rows.append((shown, str(year), imdb, "", "", "", language))
    return rows[:count]


def _episode_title(rng: random.Random, season: int, episode: int) -> str:
    if rng.random() < 0.1:
        return f"Episode #{season}.{episode}"
    adjective, noun, other = rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(NOUNS)
    return rng.choice(
        [
            f"The {noun}",
            f"{adjective} {noun}",
            f"{noun} and {other}",
            f"The {adjective} {noun}",
            f"What the {noun} Knew",
            f"{rng.choice(FIRST_NAMES)}",
        ]
    )


def _series_name(rng: random.Random) -> str:
    return rng.choice(
        [
            rng.choice(PLACES),
            f"The {_plural(rng.choice(NOUNS))}",
            f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}",
            f"{rng.choice(PLACES)} {rng.choice(NOUNS)}",
            f"{rng.choice(PLACES)} {rng.choice(['P.D.', 'Medical', 'High'])}",
        ]
    )


def _episode_rows(rng: random.Random, count: int) -> list[tuple]:
    rows: list[tuple] = []
    names: set[str] = set()
    while len(rows) < count:
        series = _series_name(rng)
        if not _usable(series) or series in names:
            continue
        names.add(series)
        first_year = _year(rng)
        for season in range(1, rng.randint(1, 5) + 1):
            year = first_year + season - 1
            if year > 2024:
                break
            for episode in range(1, rng.choice([6, 8, 10, 13]) + 1):
                if rng.random() < 0.3:
                    continue  # nobody subtitled that one
                title = _episode_title(rng, season, episode)
                language = rng.choice(LANGUAGES)[0]
                rows.append(
                    (
                        f'"{series}" {title}',
                        str(year),
                        _imdb_id(rng) if rng.random() < 0.5 else "",
                        str(season),
                        str(episode),
                        series,
                        language,
                    )
                )
    return rows[:count]


def subtitles_manifest(*, films: int = 1900, episodes: int = 1100) -> bytes:
    """An OpenSubtitles-style export (CSV): one row per subtitle file, about `films` + `episodes` rows."""
    rng = random.Random(SEED)
    rows = (
        _film_rows(rng, films)
        + _episode_rows(rng, episodes)
        + SUBTITLE_WORKS
        + SUBTITLE_NEIGHBOURS
        + SUBTITLE_NEAR_MISSES
        + SUBTITLE_BAD_ROWS
    )
    codes = dict(LANGUAGES)
    dated = []
    for row in rows:
        year = int(row[1]) if row[1].isdigit() and 1950 <= int(row[1]) <= 2024 else 2015
        added = date.fromordinal(rng.randint(date(max(year, 2006), 1, 1).toordinal(), date(2024, 12, 31).toordinal()))
        dated.append((added, rng.random(), row))
    dated.sort()  # an export lists subtitles in upload order
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(SUBTITLE_COLUMNS)
    subtitle_id = 3_104_220
    for added, _, (name, year, imdb, season, episode, series, language) in dated:
        subtitle_id += rng.randint(1, 400)
        kind = "episode" if season or episode else "movie"
        writer.writerow(
            [
                subtitle_id,
                name,
                year,
                language,
                codes.get(language, ""),
                f"{added} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}",
                imdb,
                season,
                episode,
                series,
                kind,
            ]
        )
    return output.getvalue().encode()


# --------------------------------------------------------------------------- books

BOOKS3_FOLDER = "books3/the-eye.eu/public/Books/Bibliotik"

# The writer's novel, as a Books3 file name with a series note and a retail tag,
# and again as an underscored duplicate with only the surname.
BOOK_WORKS = [
    f"{BOOKS3_FOLDER}/S/Sam Brooks - The Cartographer's Daughter (Meridian Cycle, #1) [retail].epub.txt",
    f"{BOOKS3_FOLDER}/T/The_Cartographers_Daughter-Brooks.epub.txt",
]
# The same title by somebody else.
BOOK_NEAR_MISSES = [
    f"{BOOKS3_FOLDER}/E/Eleanor Whitcombe - The Cartographer's Daughter.epub.txt",
]


def _book_title(rng: random.Random) -> str:
    adjective, noun, other = rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(NOUNS)
    place, first = rng.choice(PLACES), rng.choice(FIRST_NAMES)
    return rng.choice(
        [
            f"The {adjective} {noun}",
            f"The {noun} of {place}",
            f"{_plural(noun)} of the {other}",
            f"A {noun} for {first}",
            f"The {noun}'s {other}",
            f"{adjective} {_plural(noun)}",
            f"What the {noun} Remembers",
            f"The Last {noun} of {place}",
            f"{first} and the {noun}",
            f"{adjective} as {noun}",
            f"The {noun} Keeper",
            f"Letters from {place}",
            f"{rng.choice(SEASONS)} in {place}",
        ]
    )


def _book_name(rng: random.Random, author_first: str, author_last: str, title: str) -> str:
    series = ""
    if rng.random() < 0.15:
        kind = rng.choice(["Trilogy", "Mysteries", "Saga", "Chronicles"])
        series = f" ({rng.choice(PLACES)} {kind}, #{rng.randint(1, 6)})"
    tag = rng.choice([""] * 8 + [" [retail]", " [epub]", " (retail)"])
    roll = rng.random()
    if roll < 0.6:
        name = f"{author_first} {author_last} - {title}{series}{tag}.epub.txt"
    elif roll < 0.75:
        name = f"{title.replace(' ', '_').replace(chr(39), '')}-{author_last}.epub.txt"
    elif roll < 0.87:
        name = f"{author_last}, {author_first} - {title}{series}.epub.txt"
    elif roll < 0.95:
        name = f"{author_first[0]}. {author_last} - {title}{tag}.mobi.txt"
    else:
        name = f"{title} - {author_first} {author_last}.txt"
    return f"{BOOKS3_FOLDER}/{name[0].upper() if name[0].isalpha() else '0'}/{name}"


def books_manifest(*, count: int = 2600) -> bytes:
    """A Books3-style file list (TSV: path and size), with a few broken lines."""
    rng = random.Random(SEED + 1)
    names: list[str] = []
    seen: set[tuple[str, str]] = set()
    while len(names) < count:
        first, last, title = rng.choice(FIRST_NAMES), rng.choice(SURNAMES), _book_title(rng)
        if not _usable(title) or (last, title) in seen:
            continue
        seen.add((last, title))
        names.append(_book_name(rng, first, last, title))
    names += BOOK_WORKS + BOOK_NEAR_MISSES
    rng.shuffle(names)
    lines = [b"path\tbytes"] + [f"{name}\t{rng.randint(180_000, 2_400_000)}".encode() for name in names]
    # Broken lines as such lists have them: no path, a tab inside a file name, and
    # a name written in Latin-1 rather than UTF-8.
    lines.insert(rng.randint(100, 400), b"\t412877")
    lines.insert(
        rng.randint(800, 1200), f"{BOOKS3_FOLDER}/W/Wren Galloway - Notes\tfrom Larkmoor.epub.txt\t90233".encode()
    )
    lines.insert(
        rng.randint(1500, 2000), f"{BOOKS3_FOLDER}/J/José Valdivia - El jardín roto.epub.txt\t301554".encode("latin-1")
    )
    return b"\n".join(lines) + b"\n"


# --------------------------------------------------------------------------- the sets

DEMO_TRAINING_SETS = [
    DemoTrainingSet(
        details={
            "name": "SubtitleCorpus-XL",
            "version": "2.1",
            "developer": "Northwind AI",
            "media": [Media.SUBTITLES.value],
            "description": "Subtitle files for films and TV episodes in eleven languages, taken from a fan subtitle "
            "site's export and used to train Northwind's dialogue and dubbing models.",
            "documentation_url": "",
            "documentation_note": "Listed in appendix C of Northwind AI's technical report \"Scaling Dialogue "
            'Models" (fictional, for the demo).',
            "discovered_on": date(2025, 3, 14),
        },
        file_name="subtitlecorpus-xl-2.1-export.csv",
        manifest=subtitles_manifest,
    ),
    DemoTrainingSet(
        details={
            "name": "ShadowShelf Books",
            "version": "1.0",
            "developer": "Corvid Labs",
            "media": [Media.BOOKS_TEXT.value],
            "description": "Ebooks from a shadow library, converted to plain text; listed by file name only, "
            "the way the Books3 corpus was.",
            "documentation_url": "",
            "documentation_note": "File list filed as exhibit 12 in Authors Collective v. Corvid Labs "
            "(fictional, for the demo).",
            "discovered_on": date(2024, 11, 2),
        },
        file_name="shadowshelf-books-v1-filelist.tsv",
        manifest=books_manifest,
    ),
]
