import json

import pytest

from claims.listings.titles import (
    looks_like_book_filename,
    parse_book_filename,
    parse_film_title,
    parse_manifest_row,
    record_from_row,
    record_keys,
    split_creators,
)

# --------------------------------------------------------------------------- film and TV titles


@pytest.mark.parametrize(
    "raw, title, alternates, year",
    [
        ("Night Harbor, The (2019)", "Night Harbor, The", (), 2019),
        ("Quiet Shore (a.k.a. Still Water) (2004)", "Quiet Shore", ("Still Water",), 2004),
        ("Long Road, The (Longue Route, La) (2011)", "Long Road, The", ("Longue Route, La",), 2011),
        ("Quiet Shore, The (also known as Still Water) (2004)", "Quiet Shore, The", ("Still Water",), 2004),
        ("Quiet Shore aka Still Water", "Quiet Shore", ("Still Water",), None),
        ("Quiet Shore / Still Water", "Quiet Shore", ("Still Water",), None),
        ("Night Harbor (2004/II) (TV)", "Night Harbor", (), 2004),
        ("Night Harbor [2019]", "Night Harbor", (), 2019),
        ("Night Harbor (2019–2022)", "Night Harbor", (), 2019),
        ("(500) Days of Summer (2009)", "(500) Days of Summer", (), 2009),
        ("Night Harbor (Director's Cut) (2019)", "Night Harbor", (), 2019),
    ],
)
def test_parse_film_title_database_styles(raw, title, alternates, year):
    parsed = parse_film_title(raw)
    assert (parsed.title, parsed.alternate_titles, parsed.year) == (title, alternates, year)


def test_parse_film_title_lower_case_parenthesis_continues_the_title():
    parsed = parse_film_title("Birdman (or The Unexpected Virtue of Ignorance) (2014)")
    assert parsed.title == "Birdman (or The Unexpected Virtue of Ignorance)"
    assert parsed.alternate_titles == ("Birdman",)
    assert parsed.year == 2014


def test_parse_film_title_keeps_an_extra_in_the_title():
    # "(Trailer)" is not an alternate title: the trailer is another work than the film.
    assert parse_film_title("Night Harbor (Trailer) (2019)").title == "Night Harbor: Trailer"


@pytest.mark.parametrize(
    "raw, series, title, season, episode, year",
    [
        ('"Night Harbor" (2019) {The Lighthouse (#2.5)}', "Night Harbor", "The Lighthouse", 2, 5, 2019),
        ('"Night Harbor" The Lighthouse', "Night Harbor", "The Lighthouse", None, None, None),
        ("Night Harbor - S02E05 - The Lighthouse", "Night Harbor", "The Lighthouse", 2, 5, None),
        ("Night.Harbor.S02E05.The.Lighthouse", "Night Harbor", "The Lighthouse", 2, 5, None),
        ("Night Harbor 2x05 The Lighthouse", "Night Harbor", "The Lighthouse", 2, 5, None),
        ('"Night Harbor" (2019) {Episode #2.5}', "Night Harbor", "Night Harbor", 2, 5, 2019),
    ],
)
def test_parse_film_title_episodes(raw, series, title, season, episode, year):
    parsed = parse_film_title(raw)
    assert (parsed.series, parsed.title, parsed.season, parsed.episode, parsed.year) == (
        series,
        title,
        season,
        episode,
        year,
    )


def test_parse_film_title_release_names():
    parsed = parse_film_title("Night.Harbor.2019.1080p.BluRay.x264")
    assert (parsed.title, parsed.year) == ("Night Harbor", 2019)


# --------------------------------------------------------------------------- book file names


@pytest.mark.parametrize(
    "raw, title, creators",
    [
        ("Jane Roe - The Quiet Shore.epub", "The Quiet Shore", ("Jane Roe",)),
        ("The_Quiet_Shore-Roe.txt", "The Quiet Shore", ("Roe",)),
        ("Jane Roe - The Quiet Shore [retail].epub.txt", "The Quiet Shore", ("Jane Roe",)),
        ("Roe, Jane - Quiet Shore.epub", "Quiet Shore", ("Roe, Jane",)),
        ("J. Q. Roe - Deep Harbor_ Lessons from the Sea.epub", "Deep Harbor: Lessons from the Sea", ("J. Q. Roe",)),
        (
            "books3/the-eye.eu/public/Books/Bibliotik/J/Jane Roe & John Doe - Salt Lines.epub.txt",
            "Salt Lines",
            ("Jane Roe", "John Doe"),
        ),
        ("The Quiet Shore by Jane Roe.epub", "The Quiet Shore", ("Jane Roe",)),
        ("Jane Roe - Shore Trilogy 02 - The Silent Tide.epub", "The Silent Tide", ("Jane Roe",)),
        ("The Quiet Shore - Roe, Jane (retail).epub", "The Quiet Shore", ("Roe, Jane",)),
        ("Mei-Lin Chao-The Blind Widow.epub", "The Blind Widow", ("Mei-Lin Chao",)),
        ("Jane Roe - The Quiet Shore (v5.0) (2nd Edition).mobi.txt", "The Quiet Shore", ("Jane Roe",)),
    ],
)
def test_parse_book_filename_splits_creator_and_title(raw, title, creators):
    parsed = parse_book_filename(raw)
    assert (parsed.title, parsed.creators) == (title, creators)


def test_parse_book_filename_series_annotation_is_not_the_title():
    parsed = parse_book_filename("Jane Roe - The Quiet Shore (The Shore Trilogy, #2) [retail].epub.txt")
    assert parsed.title == "The Quiet Shore"
    assert parsed.series_note == "The Shore Trilogy, #2"


def test_parse_book_filename_keeps_both_readings_when_the_order_is_unclear():
    parsed = parse_book_filename("Quiet Shore - Jane Roe.epub")
    assert {parsed.title, *parsed.alternate_titles} == {"Quiet Shore", "Jane Roe"}
    assert set(parsed.creators) == {"Quiet Shore", "Jane Roe"}
    assert parsed.notes


def test_parse_book_filename_reads_an_isbn():
    assert parse_book_filename("9780306406157.epub").isbn == "9780306406157"
    assert parse_book_filename("Jane Roe - The Quiet Shore (0-306-40615-2).epub").isbn == "9780306406157"


@pytest.mark.parametrize(
    "name, is_file",
    [
        ("Jane Roe - The Quiet Shore.epub.txt", True),
        ("books3/the-eye.eu/Books/J/Jane Roe - The Quiet Shore", True),
        ("Night Harbor (2004/II)", False),
        ("24/7 Harbor", False),
        ("Dr. No", False),
    ],
)
def test_looks_like_book_filename(name, is_file):
    assert looks_like_book_filename(name) is is_file


# --------------------------------------------------------------------------- creators


@pytest.mark.parametrize(
    "text, names",
    [
        ("Roe, Jane; John Doe", ["Roe, Jane", "John Doe"]),
        ("Jane Roe & John Doe", ["Jane Roe", "John Doe"]),
        ("Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("Jane Roe, John Doe", ["Jane Roe", "John Doe"]),
        ("Roe, Jane, Doe, John", ["Roe, Jane", "Doe, John"]),
        ("García Márquez, Gabriel", ["García Márquez, Gabriel"]),
        ("Jane Roe, Jr.", ["Jane Roe Jr."]),
        ("Jane Roe et al.", ["Jane Roe et al."]),
        ("", []),
        (["Jane Roe", "Doe, John"], ["Jane Roe", "Doe, John"]),
    ],
)
def test_split_creators(text, names):
    assert split_creators(text) == names


# --------------------------------------------------------------------------- rows


def test_record_from_row_normalises_identifiers_and_drops_bad_ones_with_a_note():
    record = record_from_row(title="Night Harbor", year="2019", identifier="tt0111161; not-an-id", creators="Roe, Jane")
    assert record.identifiers == {"imdb_id": "tt0111161"}
    assert any("not-an-id" in note for note in record.notes)
    assert record.creators == ("Roe, Jane",)
    assert record.medium == "film_tv"


def test_record_from_row_reads_bare_imdb_numbers_and_a_series_parent_id():
    # OpenSubtitles exports: IDMovieImdb = 111161, SeriesIMDBParent = tt0903747.
    record = record_from_row(
        title='"Night Harbor" Pilot', identifier="111161", series="tt0903747", season="1", episode="01"
    )
    assert record.identifiers == {"imdb_id": "tt0111161", "series_imdb_id": "tt0903747"}
    assert (record.series, record.title, record.season, record.episode) == ("Night Harbor", "Pilot", 1, 1)


def test_record_from_row_series_column_with_a_year():
    record = record_from_row(title="The Lighthouse", series="Night Harbor (2019)", season=2, episode=5)
    assert record.series == "Night Harbor"


def test_record_from_row_year_column_wins_and_a_disagreement_is_noted():
    record = record_from_row(title="Night Harbor, The (2019)", year="1987")
    assert record.year == 1987
    assert any("differs" in note for note in record.notes)
    assert record_from_row(title="Night Harbor, The (2019)").year == 2019


def test_record_from_row_book_corpus_without_a_creators_column_reads_file_names():
    record = record_from_row(title="The_Quiet_Shore-Roe", medium="books_text")
    assert (record.title, record.creators, record.medium) == ("The Quiet Shore", ("Roe",), "book")


def test_parse_manifest_row_gives_keys_ready_to_store():
    record = parse_manifest_row({"title": "Night Harbor, The (2019)", "creators": "Jane Roe & John Doe"}, entry_id=7)
    keys = record.keys
    assert record.entry_id == 7
    assert keys["title_key"] == "the night harbor"
    assert keys["creators"] == ["jane roe", "john doe"]
    assert "the night harbor" in keys["search_text"]
    assert json.loads(json.dumps(keys)) == keys
    assert record_keys(record) is keys  # computed once


# --------------------------------------------------------------------------- the fast path


def _eval_titles():
    import csv
    from pathlib import Path

    titles = set()
    for path in (Path(__file__).parent / "data").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                titles.update((row["manifest_raw_title"], row["credit_title"]))
    return [
        *sorted(titles),
        "Night Harbor",
        "Night Harbor 2",
        "Harbor Lights II",
        "Night Harbor S02E05",
        "Night Harbor 2x05",
        "Quiet Shore aka Still Water",
        "Night  Harbor",
        " Night Harbor",
        "Salt Road 1984",
        "Sexy Beast",
        "Xanadu",
        "Boxing Day",
        "S1 Mission",
        "A",
        "Colour of Theatre",
        "Archaeologist",
    ]


@pytest.mark.parametrize(
    "year, identifier, medium",
    [
        (None, "", ""),
        ("2019", "", "film_tv"),
        (2019, "tt0111161", ""),
        ("circa 1999", "tt0111161", "video"),
        ("", "tt01", ""),
        (None, "", "book"),
        ("2004", "9780306406157", "text"),
    ],
)
def test_plain_title_fast_path_makes_the_same_record_as_the_long_way(year, identifier, medium):
    from claims.listings.titles import _plain_title_record, _record_from_row

    fast = 0
    for title in _eval_titles():
        arguments = {
            "title": title,
            "year": year,
            "creators": "",
            "identifiers": None,
            "identifier": identifier,
            "series": "",
            "season": None,
            "episode": None,
            "raw_title": None,
            "entry_id": 7,
            "title_format": "auto",
            "medium": medium,
        }
        record = record_from_row(**arguments)
        reference = _record_from_row(**arguments)
        assert record == reference, title
        assert record.keys == reference.keys, title
        fast += _plain_title_record(title, year, None, identifier, None, 7, "auto", medium) is not None
    if medium != "book" and identifier in ("", "tt0111161"):
        assert fast > 300  # the eval titles exercise the fast path, not only the long way
