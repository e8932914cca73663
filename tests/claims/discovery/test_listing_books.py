import pytest

from claims.listings.books import looks_like_book_filename, parse_book_filename


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
