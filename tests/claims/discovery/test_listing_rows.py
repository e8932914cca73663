import json

from claims.listings.rows import parse_manifest_row, record_from_row
from claims.matching import record_keys


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


def test_record_from_row_takes_an_imdb_id_in_either_case_and_only_with_decimal_digits():
    assert record_from_row(title="Night Harbor", identifier="TT0111161").identifiers == {"imdb_id": "tt0111161"}
    assert record_from_row(title="Night Harbor", series="Tt0903747").identifiers == {"series_imdb_id": "tt0903747"}
    record = record_from_row(title="Night Harbor", identifier="tt²²²²²²²")
    assert record.identifiers == {}
    assert record.notes == ("identifier 'tt²²²²²²²' not recognised; ignored",)
