import pytest

from claims.listings.fast_paths import plain_title_record
from claims.listings.rows import record_from_row, record_from_row_in_full


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
        (2019, "TT0111161", ""),
        ("circa 1999", "tt0111161", "video"),
        ("", "tt01", ""),
        (None, "", "book"),
        ("2004", "9780306406157", "text"),
    ],
)
def test_plain_title_fast_path_makes_the_same_record_as_the_long_way(year, identifier, medium):
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
        reference = record_from_row_in_full(**arguments)
        assert record == reference, title
        assert record.keys == reference.keys, title
        fast += (
            plain_title_record(
                title=title,
                year=year,
                identifiers=None,
                identifier=identifier,
                raw_title=None,
                entry_id=7,
                title_format="auto",
                medium=medium,
            )
            is not None
        )
    if medium != "book" and identifier in ("", "tt0111161"):
        assert fast > 300  # the eval titles exercise the fast path, not only the long way
