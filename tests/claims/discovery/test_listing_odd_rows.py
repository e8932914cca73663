"""Rows that used to stop a whole manifest load with an exception: each is now one row like any other."""

import io

from claims.listings.files import read_manifest
from claims.listings.rows import record_from_row


def test_read_manifest_keeps_a_superscript_in_an_imdb_column_as_written():
    # str.isdigit("²") is true but int("²") fails: the reader must not stop there.
    listing = io.BytesIO("title,imdb_id\nNight Harbor,²\nQuiet Shore,114709\n".encode())
    rows = list(read_manifest(listing, name="listing.csv"))
    assert [row.identifiers for row in rows] == [["²"], ["tt0114709"]]
    record = record_from_row(title="Night Harbor", identifier=rows[0].identifiers)
    assert record.identifiers == {}
    assert record.notes == ("identifier '²' not recognised; ignored",)


def test_record_from_row_reads_a_book_file_name_with_a_segment_of_commas():
    record = record_from_row(title="Jane Roe - ,.epub")
    assert record.creators == ("Jane Roe",)
    assert record.medium == "book"
