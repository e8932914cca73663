"""One definition of an IMDb title id: is_clean_imdb_id, the listings' quick test, accepts exactly
the ids that normalize_imdb keeps as they are (but for their case)."""

import pytest
from django.core.exceptions import ValidationError

from members.identifiers import is_clean_imdb_id, normalize_imdb


@pytest.mark.parametrize("value", ["tt0111161", "TT0111161", "Tt0111161", "tt1234567890", "tt١٢٣٤٥٦٧"])
def test_clean_imdb_id_is_what_normalize_imdb_keeps(value):
    assert is_clean_imdb_id(value)
    assert normalize_imdb(value) == value.lower()


@pytest.mark.parametrize(
    "value",
    [
        "",
        "tt011116",  # 6 digits
        "tt01111611111",  # 11 digits
        " tt0111161",
        "tt0111161\n",
        "https://www.imdb.com/title/tt0111161/",
        "nm0000151",
        "0111161",
        None,
        111161,
    ],
)
def test_clean_imdb_id_refuses_anything_around_or_instead_of_the_id(value):
    assert not is_clean_imdb_id(value)


def test_clean_imdb_id_needs_decimal_digits_as_normalize_imdb_does():
    # Superscripts are digits to str.isdigit but not to a regex's \d: neither takes them.
    assert not is_clean_imdb_id("tt²²²²²²²")
    with pytest.raises(ValidationError):
        normalize_imdb("tt²²²²²²²")
