import pytest

from claims.listings.film_tv import parse_film_title


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
