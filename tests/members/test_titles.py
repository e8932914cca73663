import pytest

from members.titles import restore_leading_article, title_key


@pytest.mark.parametrize(
    "a, b",
    [
        ("Café Noir", "Cafe Noir"),
        ("Night Harbor, The", "The Night Harbor"),
        ("Longue Route, La", "La Longue Route"),
        ("Salt & Pepper", "Salt and Pepper"),
        ("  Quiet   Shore!!", "quiet shore"),
        ("Schindler's List", "Schindlers List"),
    ],
)
def test_title_key_same_work(a, b):
    assert title_key(a) == title_key(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Night Harbor", "Night Harbour Lights"),
        ("The Quiet Shore", "Quiet Shores"),
        ("Harbor, East", "East Harbor, The"),
    ],
)
def test_title_key_different_works(a, b):
    assert title_key(a) != title_key(b)


def test_restore_leading_article_leaves_ordinary_commas():
    assert restore_leading_article("Love, Actually") == "Love, Actually"
    assert restore_leading_article("Homme, L'") == "L'Homme"
