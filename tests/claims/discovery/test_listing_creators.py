import pytest

from claims.listings.creators import split_creators


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
