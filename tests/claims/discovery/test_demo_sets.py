"""The demo's two training sets: generated listings, loaded by load_demo, in which the demo members' works are found."""

import csv
import io
from collections import defaultdict
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F

from claims.demo.training_sets import DEMO_TRAINING_SETS, books_manifest, subtitles_manifest
from claims.enums import ManifestStatus, MatchStatus
from claims.management.commands.load_demo import DEMO_MEMBERS
from claims.models import Manifest, ManifestEntry, ManifestRejection, Match, TrainingSet

pytestmark = pytest.mark.django_db

SUBTITLES, BOOKS = "SubtitleCorpus-XL", "ShadowShelf Books"
LOLA, SAM, MINJUNG = "lola.vega@example.org", "sam.brooks@example.org", "minjung.park@example.org"
RAFAEL, KEISHA = "rafael.ortiz@example.org", "keisha.grant@example.org"
HARBOR_AS_LISTED = "Medianoche en el puerto (a.k.a. Harbor Lights at Midnight)"

# What each demo member finds, by set: (work as the member registered it, job, entry as the listing wrote it).
EXPECTED = {
    RAFAEL: {SUBTITLES: {("Harbor Lights at Midnight", "director_of_photography", HARBOR_AS_LISTED)}},
    KEISHA: {SUBTITLES: {("Harbor Lights at Midnight", "director_of_photography", HARBOR_AS_LISTED)}},
    LOLA: {
        SUBTITLES: {
            ("The Salt Road", "supporting", "Salt Road, The"),
            ("Harbor Lights at Midnight", "principal", "Medianoche en el puerto (a.k.a. Harbor Lights at Midnight)"),
            ("County General Nights S02E05: Code Amber", "supporting", '"County General Nights" Code Amber'),
            ("County General Nights S02E06: Aftershock", "supporting", '"County General Nights" Aftershock'),
            ("Desert Frequencies S01E01: Pilot", "principal", '"Desert Frequencies" Pilot'),
        },
    },
    SAM: {
        SUBTITLES: {
            ("Desert Frequencies S01E01: Pilot", "teleplay_by", '"Desert Frequencies" Pilot'),
            ("Desert Frequencies S01E04: Static", "written_by", '"Desert Frequencies" Static'),
            ("The Long Quiet", "screenplay_by", "Long Quiet, The (2019)"),
            ("The Long Quiet", "story_by", "Long Quiet, The (2019)"),
            (
                "Harbor Lights at Midnight",
                "screenplay_by",
                "Medianoche en el puerto (a.k.a. Harbor Lights at Midnight)",
            ),
        },
        BOOKS: {
            (
                "The Cartographer's Daughter",
                "author",
                (
                    "books3/the-eye.eu/public/Books/Bibliotik/S/Sam Brooks - "
                    "The Cartographer's Daughter (Meridian Cycle, #1) [retail].epub.txt"
                ),
            ),
            (
                "The Cartographer's Daughter",
                "author",
                "books3/the-eye.eu/public/Books/Bibliotik/T/The_Cartographers_Daughter-Brooks.epub.txt",
            ),
        },
    },
    MINJUNG: {
        SUBTITLES: {
            ("The Salt Road", "camera_operator", "Salt Road, The"),
            (
                "Harbor Lights at Midnight",
                "camera_operator",
                "Medianoche en el puerto (a.k.a. Harbor Lights at Midnight)",
            ),
            ("The Long Quiet", "first_ac", "Long Quiet, The (2019)"),
            ("County General Nights S02E05: Code Amber", "camera_operator", '"County General Nights" Code Amber'),
            ("Northbound", "camera_operator", '"Northbound" Crossing'),
            ("Northbound", "camera_operator", '"Northbound" The Last Ferry'),
            ("Northbound", "camera_operator", '"Northbound" Whiteout'),
        },
    },
}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def found_by_member() -> dict[str, dict[str, set[tuple[str, str, str]]]]:
    found: dict = defaultdict(lambda: defaultdict(set))
    for match in Match.objects.select_related("credit__work", "credit__member__user", "entry", "training_set"):
        found[match.credit.member.user.email][match.training_set.name].add(
            (match.credit.work.display_title, match.credit.job, match.entry.raw_title)
        )
    return {email: dict(sets) for email, sets in found.items()}


def counts() -> dict[str, int]:
    return {
        "training sets": TrainingSet.objects.count(),
        "manifests": Manifest.objects.count(),
        "entries": ManifestEntry.objects.count(),
        "rejections": ManifestRejection.objects.count(),
        "matches": Match.objects.count(),
        "emails": len(mail.outbox),
    }


def test_demo_listings_are_the_same_bytes_every_run_and_a_few_thousand_rows():
    for make in (subtitles_manifest, books_manifest):
        content = make()
        assert content == make()
        assert 2_000 <= content.count(b"\n") <= 5_000
    header = next(csv.reader(io.StringIO(subtitles_manifest().decode())))
    assert {"MovieName", "MovieYear", "ImdbID", "SeriesSeason", "SeriesEpisode", "SeriesIMDBParentName"} <= set(header)


def test_demo_listings_mix_the_shapes_real_listings_have():
    subtitles = subtitles_manifest().decode()
    books = books_manifest().decode("utf-8", "replace")
    assert ', The",' in subtitles  # catalogue style, article moved (quoted for its comma)
    assert "(a.k.a. " in subtitles
    assert "Episode #" in subtitles and ",episode\n" in subtitles
    assert " [retail].epub.txt" in books and ", #" in books
    assert "_" in books and "books3/the-eye.eu/" in books


def test_load_demo_creates_the_two_sets_with_their_manifests_current():
    output = load_demo()

    for demo in DEMO_TRAINING_SETS:
        training_set = TrainingSet.objects.get(name=demo.name, version=demo.version)
        assert training_set.developer in ("Northwind AI", "Corvid Labs")
        assert training_set.media and training_set.description and training_set.documentation_note
        assert training_set.discovered_on is not None
        manifest = training_set.current_manifest
        assert manifest.status == ManifestStatus.ACTIVE
        assert manifest.original_name == demo.file_name
        assert 2_500 <= manifest.rows_loaded <= 4_000
        assert (
            f"Training set {training_set}: {manifest.rows_loaded:,} entries loaded, "
            f"{manifest.rows_rejected} rows rejected" in output
        )
    assert "19 matches found for demo members" in output
    assert "2 matches found for demo members" in output


def test_load_demo_finds_each_members_works_in_the_expected_sets():
    load_demo()

    assert found_by_member() == EXPECTED


def test_load_demo_does_not_match_the_near_misses():
    load_demo()

    remake = ManifestEntry.objects.get(raw_title="Salt Road, The", year=1958)
    old_series = ManifestEntry.objects.filter(series="Northbound", year=1994)
    other_author = ManifestEntry.objects.get(
        raw_title__endswith="/Eleanor Whitcombe - The Cartographer's Daughter.epub.txt"
    )
    neighbours = ManifestEntry.objects.filter(
        series__in=["Desert Frequencies", "County General Nights"],
        title__in=["Dead Air", "Repeater", "Triage", "Night Shift"],
    )
    assert old_series.count() == 2 and neighbours.count() == 4
    assert other_author.creators == "Eleanor Whitcombe"
    assert not Match.objects.filter(entry=remake).exists()
    assert not Match.objects.filter(entry__in=old_series).exists()
    assert not Match.objects.filter(entry=other_author).exists()
    assert not Match.objects.filter(entry__in=neighbours).exists()
    # Games, commercials and music videos are in neither set.
    assert not Match.objects.filter(credit__work__work_type__in=["video_game", "commercial", "music_video"]).exists()


def test_load_demo_lists_the_rejected_rows_with_their_reasons():
    load_demo()

    reasons = defaultdict(list)
    for rejection in ManifestRejection.objects.select_related("manifest__training_set"):
        reasons[rejection.manifest.training_set.name].append(rejection.reason)
    assert sorted(reasons[SUBTITLES]) == [
        "title is missing",
        "title is missing",
        "year '0' is not a year",
        "year '20119' is not a year",
        f"year 2207 is outside 1450–{date.today().year + 5}",
    ]
    assert sorted(reasons[BOOKS]) == [
        "has 3 fields but the header has 2",
        "title is missing",
        "title is not valid UTF-8 text",
    ]
    for training_set in TrainingSet.objects.select_related("current_manifest"):
        manifest = training_set.current_manifest
        assert manifest.rows_rejected == manifest.rejections.count() == len(reasons[training_set.name])
        assert manifest.rows_read == manifest.rows_loaded + manifest.rows_rejected


def test_load_demo_leaves_unclaimed_matches_new_and_emails_each_member_once_per_set(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()

    # The demo claims confirmed their matches; the rest wait for the member.
    claimed = Match.objects.filter(entry__claims__credit=F("credit"))
    assert claimed.exists() and set(claimed.values_list("status", flat=True)) == {MatchStatus.CONFIRMED}
    assert set(Match.objects.exclude(pk__in=claimed).values_list("status", flat=True)) == {MatchStatus.NEW}
    assert not Match.objects.filter(notified_at__isnull=True).exists()
    subjects = defaultdict(list)
    for message in mail.outbox:
        subjects[message.to[0]].append(message.subject)
    found_emails = {email: len([s for s in sent if "was found" in s]) for email, sent in subjects.items()}
    assert found_emails == {LOLA: 1, SAM: 2, MINJUNG: 1, RAFAEL: 1, KEISHA: 1}
    assert any("ShadowShelf Books 1.0" in subject for subject in subjects[SAM])
    lola_email = next(message for message in mail.outbox if message.to == [LOLA])
    assert "SubtitleCorpus-XL 2.1" in lola_email.subject
    assert 'listed as "Salt Road, The" (2016)' in lola_email.body


def test_load_demo_twice_loads_and_sends_nothing_new(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    before = counts()
    found = found_by_member()

    with django_capture_on_commit_callbacks(execute=True):
        second_output = load_demo()

    assert counts() == before
    assert found_by_member() == found
    assert "already loaded; nothing changed" in second_output
    assert "entries loaded" not in second_output


def test_load_demo_loads_a_set_an_earlier_run_left_without_a_current_manifest():
    demo = DEMO_TRAINING_SETS[1]
    TrainingSet.objects.create(name=demo.name, version=demo.version, developer="Corvid Labs")

    output = load_demo()

    training_set = TrainingSet.objects.get(name=demo.name, version=demo.version)
    assert training_set.current_manifest.status == ManifestStatus.ACTIVE
    assert f"Training set {training_set}:" in output
    assert found_by_member()[SAM][BOOKS] == EXPECTED[SAM][BOOKS]


def test_demo_listings_name_only_works_the_demo_members_registered():
    """The planted spellings are kept by hand in claims/demo.py: every matched work must be a demo credit."""
    load_demo()

    registered = {credit.title for person in DEMO_MEMBERS for credit in person.credits}
    matched = set(Match.objects.values_list("credit__work__title", flat=True))
    assert matched <= registered
    assert len(matched) == 9


def test_load_demo_has_claims_in_every_state_a_dispute_and_a_verifier_per_union():
    from claims.enums import ClaimStatus
    from claims.models import Claim, VerifierAssignment
    from claims.rules import claims_visible_to_staff
    from members.models import User

    load_demo()
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    disputed = Claim.objects.filter(status=ClaimStatus.DISPUTED)
    assert {claim.member.user.email for claim in disputed} == {RAFAEL, KEISHA}
    assert {a.union.short_name for a in VerifierAssignment.objects.all()} >= {"SAG-AFTRA", "WGA West", "IATSE", "DGA"}
    iatse = User.objects.get(email="iatse.verifier@union.example")
    visible = set(claims_visible_to_staff(iatse))
    assert set(disputed) <= visible
    assert {claim.member.user.email for claim in visible} == {RAFAEL, KEISHA, MINJUNG}
    # Each step is on the record: a verified claim went submitted -> in review -> verified.
    verified = Claim.objects.filter(status=ClaimStatus.VERIFIED).first()
    assert list(verified.events.values_list("to_status", flat=True)) == ["submitted", "in_review", "verified"]


def test_load_demo_has_an_issued_pool_with_statements_and_one_ready_to_issue():
    from pypdf import PdfReader

    from claims.models import ResidualPool, Statement

    load_demo()
    issued, ready = ResidualPool.objects.order_by("period_start")
    assert issued.status == "issued" and ready.status == "draft"
    lola = Statement.objects.get(run__pool=issued, member__user__email=LOLA)
    assert lola.status == "done" and lola.total_payable > 0
    with lola.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "Dolores Marisol Vega" in text and f"{lola.total_payable:,}" in text
