import pytest
from django.core.exceptions import ValidationError

from members.identifiers import (
    detect_and_normalize,
    normalize_eidr,
    normalize_imdb,
    normalize_isan,
    normalize_isbn,
)


@pytest.mark.parametrize(
    "typed",
    [
        "tt0111161",
        "TT0111161",
        " tt0111161 ",
        "https://www.imdb.com/title/tt0111161/",
        "imdb.com/title/tt0111161/?ref_=x",
    ],
)
def test_normalize_imdb_accepts_what_people_paste(typed):
    assert normalize_imdb(typed) == "tt0111161"


@pytest.mark.parametrize("typed", ["0111161", "tt12", "nm0000151", "tt0111161x", "ttabc"])
def test_normalize_imdb_refuses_non_title_ids(typed):
    with pytest.raises(ValidationError):
        normalize_imdb(typed)


def test_normalize_isbn_converts_isbn10_to_isbn13():
    assert normalize_isbn("0-306-40615-2") == "9780306406157"
    assert normalize_isbn("ISBN 978-0-306-40615-7") == "9780306406157"


def test_normalize_isbn_refuses_a_wrong_check_digit():
    with pytest.raises(ValidationError, match="ISBN"):
        normalize_isbn("978-0-306-40615-8")


def test_normalize_eidr_checks_the_check_character():
    assert normalize_eidr("10.5240/7791-8534-2C23-9030-8610-5") == "10.5240/7791-8534-2C23-9030-8610-5"
    assert normalize_eidr("doi:10.5240/7791-8534-2c23-9030-8610-5") == "10.5240/7791-8534-2C23-9030-8610-5"
    with pytest.raises(ValidationError, match="check character"):
        normalize_eidr("10.5240/7791-8534-2C23-9030-8610-6")
    with pytest.raises(ValidationError, match=r"10\.5240"):
        normalize_eidr("7791-8534-2C23-9030-8610-5")


def test_normalize_isan_keeps_the_work_part_only():
    assert normalize_isan("ISAN 0000-0000-D07A-0090-Q-0000-0000-X") == "0000-0000-D07A-0090-Q"
    assert normalize_isan("0000-0000-D07A-0090-Q") == "0000-0000-D07A-0090-Q"
    with pytest.raises(ValidationError):
        normalize_isan("0000-0000-D07A-0090-R")


def test_detect_and_normalize_names_the_accepted_schemes():
    assert detect_and_normalize("tt0111161") == ("imdb_id", "tt0111161")
    assert detect_and_normalize("0306406152") == ("isbn", "9780306406157")
    assert detect_and_normalize("10.5240/7791-8534-2C23-9030-8610-5")[0] == "eidr"
    with pytest.raises(ValidationError, match="IMDb id"):
        detect_and_normalize("hello")
