"""Reading manifest files: formats, compression, headers and every kind of bad row."""

import gzip
import io
import json

import pytest

from claims.listings.files import ManifestFileError, open_binary, parse_year, read_manifest


def rows_of(data: bytes, name: str = "listing.csv") -> list:
    _, binary = open_binary(io.BytesIO(data))
    return list(read_manifest(binary, name=name))


def test_csv_with_aliased_headers_and_extra_columns():
    data = b"Movie Title,Release Year,Director,IMDb ID,Language\nNight Harbor,2019,Jane Roe,tt7654321,en\n"
    (row,) = rows_of(data)
    assert row.row_number == 2
    assert row.values == {"title": "Night Harbor", "year": "2019", "creators": "Jane Roe"}
    assert row.identifiers == ["tt7654321"]
    assert row.extra == {"Language": "en"}


def test_opensubtitles_style_export():
    data = (
        b"IDSubtitle\tMovieName\tMovieYear\tIDMovieImdb\tSeriesSeason\tSeriesEpisode\tSeriesIMDBParentName\n"
        b"101\tThe Lighthouse Keeper\t2021\ttt0000101\t2\t5\tHarbor Lights\n"
    )
    (row,) = rows_of(data, "export.tsv")
    assert row.values["title"] == "The Lighthouse Keeper"
    assert row.values["season"] == "2" and row.values["episode"] == "5"
    assert row.values["series"] == "Harbor Lights"
    assert row.extra == {"IDSubtitle": "101"}


def test_gzip_is_detected_by_content_not_name():
    data = gzip.compress(b"title,year\nQuiet Shore,2004\n")
    assert [row.values["title"] for row in rows_of(data, "listing.csv")] == ["Quiet Shore"]


def test_json_lines_rows_are_numbered_from_one():
    lines = [
        json.dumps({"title": "Quiet Shore", "authors": ["Jane Roe", "John Doe"], "isbn": "0306406152"}),
        "not json",
        json.dumps(["a list"]),
        json.dumps({"year": 2000}),
    ]
    rows = rows_of("\n".join(lines).encode(), "books.jsonl")
    assert rows[0].row_number == 1 and rows[0].values["creators"] == "Jane Roe; John Doe"
    assert rows[0].identifiers == ["0306406152"]
    assert [(row.row_number, row.error) for row in rows[1:]] == [
        (2, "is not valid JSON"),
        (3, "is not a JSON object"),
        (4, "title is missing"),
    ]


def test_byte_order_mark_at_the_start_is_ignored_but_inside_a_row_is_rejected():
    data = "\ufefftitle,year\nQuiet Shore,2004\n\ufeffNight Harbor,2019\n".encode()
    rows = rows_of(data)
    assert rows[0].values["title"] == "Quiet Shore" and not rows[0].error
    assert rows[1].row_number == 3 and "byte-order mark" in rows[1].error


@pytest.mark.parametrize(
    "line, reason",
    [
        (b"Bad\x00Title,2001", "NUL byte"),
        (b"Caf\xe9 Noir,2001", "not valid UTF-8"),
        (b",2001", "title is missing"),
        (b"Too,many,fields", "has 3 fields but the header has 2"),
    ],
)
def test_bad_rows_are_listed_with_row_number_and_reason(line, reason):
    rows = rows_of(b"title,year\nGood One,2000\n" + line + b"\nGood Two,2002\n")
    assert [row.values.get("title") for row in rows if not row.error] == ["Good One", "Good Two"]
    (bad,) = [row for row in rows if row.error]
    assert bad.row_number == 3 and reason in bad.error


def test_quoted_line_breaks_do_not_shift_row_numbers():
    rows = rows_of(b'title,year\n"Two\nLines",2000\nNext,2001\n')
    assert [(row.row_number, row.values["title"]) for row in rows] == [(2, "Two\nLines"), (3, "Next")]


def test_missing_title_column_is_a_file_error_naming_the_column():
    with pytest.raises(ManifestFileError, match="No title column"):
        rows_of(b"year,director\n2000,Jane Roe\n")


def test_empty_file_is_a_file_error():
    with pytest.raises(ManifestFileError, match="empty"):
        rows_of(b"")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2019", (2019, "")),
        ("2019-05-01", (2019, "")),
        ("05/01/2019", (2019, "")),
        ("", (None, "")),
    ],
)
def test_parse_year_accepts_years_and_dates(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("text", ["3019", "0099", "abc", "19"])
def test_parse_year_rejects_absurd_values(text):
    year, problem = parse_year(text)
    assert year is None and problem


def test_bare_numbers_in_an_imdb_column_are_imdb_ids():
    data = b"MovieName,MovieYear,IDMovieImdb,SeriesIMDBParent\nPilot,2020,99000101,114709\n"
    (row,) = rows_of(data)
    assert row.identifiers == ["tt99000101"]
    assert row.values["series_imdb"] == "tt0114709"
