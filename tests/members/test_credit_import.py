"""Credit CSV imports (members.services.credit_import): staff rosters and a member's own list, read,
checked and written all-or-nothing per file, every bad row listed with its line number; invitations
to new accounts; the import on a real Celery worker. The pages are in test_views_imports.py, the
command in test_commands.py."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.enums import ImportScope, ImportStatus, Job, WorkType
from members.models import Credit, CreditImport, Membership, User, Work
from members.services.credit_import import (
    credit_import_create,
    credit_import_process,
)
from tests.factories import make_credit, make_union_membership, make_work
from tests.members.credit_files import ROSTER_HEADER, page_text, upload

pytestmark = pytest.mark.django_db


# Rosters -----------------------------------------------------------------------------------------


def test_roster_import_creates_credits_shared_works_and_new_accounts(import_roster, member):
    roster = ROSTER_HEADER + (
        "MEMBER@example.org,Maria Santos,SAG,Night Harbor,2019,feature,Actress,tt1234567,Officer Diaz,\n"
        "sam@example.org,Sam Okafor,Local 600,Night Harbor,2019,Movie,DP,,,600-123\n"
        "sam@example.org,Sam Okafor,ICG,The Long Shift,2022,TV episode,1st AC,,,600-123\n"
    )
    page = page_text(import_roster(roster))

    assert "Imported" in page
    assert "Credits added 3" in page and "New works 2" in page and "New member accounts 1" in page
    harbor = Work.objects.get(title="Night Harbor")
    assert harbor.imdb_id == "tt1234567" and harbor.work_type == WorkType.FEATURE_FILM
    assert set(harbor.credits.values_list("member__user__email", "job", "credited_as")) == {
        ("member@example.org", Job.PRINCIPAL, "Officer Diaz"),
        ("sam@example.org", Job.DIRECTOR_OF_PHOTOGRAPHY, ""),
    }
    sam = User.objects.get(email="sam@example.org")
    assert not sam.has_usable_password()
    assert sam.profile.legal_name == "Sam Okafor"
    assert EmailAddress.objects.filter(user=sam, email="sam@example.org", primary=True, verified=False).exists()
    assert Membership.objects.get(member=sam.profile).member_number == "600-123"
    assert sam.profile.credits.get(work__title="The Long Shift").work.work_type == WorkType.TV_EPISODE
    assert Membership.objects.get(member=member).union.short_name == "SAG-AFTRA"

    [invitation] = mail.outbox  # existing members are not invited
    assert invitation.to == ["sam@example.org"]
    assert "Your union has registered your credits" in invitation.subject
    assert "http://testserver/accounts/password/reset/" in invitation.body
    assert "IATSE Local 600 has registered 2 credits" in invitation.body


def test_invited_member_claims_the_account_through_password_reset_and_signs_in(import_roster, client):
    import_roster(ROSTER_HEADER + "sam@example.org,Sam Okafor,DGA,Night Harbor,2019,Feature,Director,,,\n")
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": "sam@example.org"})
    [reset] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", reset.body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "a brand new harbor password"
    client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    client.logout()

    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": new_password})

    assert response.status_code == 302 and response.url == reverse("claims:dashboard")
    assert EmailAddress.objects.get(email="sam@example.org").verified


def test_roster_with_bad_rows_lists_each_line_and_reason_and_writes_nothing(import_roster, member):
    works_before, users_before = Work.objects.count(), User.objects.count()
    roster = (
        ROSTER_HEADER
        + "\n".join(
            [
                "new@example.org,New Person,SAG-AFTRA,Good Film,2019,Feature,Actor,,,",  # line 2: fine
                "member@example.org,,SAG-AFTRA,Old Film,1700,Feature,Actor,,,",
                "member@example.org,,SAG-AFTRA,Odd Year,19x9,Feature,Actor,,,",
                "member@example.org,,SAG-AFTRA,,2019,Feature,Actor,,,",
                "not-an-email,Someone,SAG-AFTRA,A Film,2019,Feature,Actor,,,",
                "member@example.org,,SAG-AFTRA,A Film,2019,Feature,Actor,tt12,,",
                "member@example.org,,Teamsters,A Film,2019,Feature,Actor,,,",
                "member@example.org,,SAG-AFTRA,A Film,2019,Feature,Actor,,,,surplus",
                "member@example.org,,SAG-AFTRA,A\x00Film,2019,Feature,Actor,,,",
                "nameless@example.org,,SAG-AFTRA,A Film,2019,Feature,Actor,,,",
                "member@example.org,,SAG-AFTRA," + "T" * 501 + ",2019,Feature,Actor,,,",
                "member@example.org,,SAG-AFTRA,A Film,2019,Feature,Actor,,,",  # line 13: fine
            ]
        )
        + "\n"
    )

    page = page_text(import_roster(roster))

    assert "Not imported: the file has errors" in page
    assert "Nothing from this file was imported: 10 problems found in 12 rows." in page
    for line, reason in [
        (3, "Year 1700 is impossible: it must be between 1888 and"),
        (4, "Year '19x9' is not a four-digit year"),
        (5, "Title is empty"),
        (6, "Enter a valid email address"),
        (7, "An IMDb title id looks like tt0111161"),
        (8, "Unknown union 'Teamsters'. Accepted: DGA, IATSE, SAG-AFTRA, WGA East, WGA West, IATSE Local 600, "),
        (9, "Has 11 values but the header names 10 columns"),
        (10, "Contains a NUL byte"),
        (11, "Name is empty, and it is needed to create the account for nameless@example.org"),
        (12, "Title is longer than 500 characters"),
    ]:
        assert f"{line} {reason}" in page
    problems = page.split("Problem", 1)[1]
    assert " 2 " not in problems and " 13 " not in problems
    assert not any(error["reason"].endswith("..") for error in CreditImport.objects.get().errors)
    assert Credit.objects.count() == 0
    assert (Work.objects.count(), User.objects.count()) == (works_before, users_before)
    assert mail.outbox == []


def test_unknown_job_names_the_accepted_ones(import_roster, member):
    page = page_text(
        import_roster(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,A Film,2019,Featurette,Gaffer's friend,,,\n")
    )

    assert "Unknown job 'Gaffer's friend'. Accepted: Principal performer, Supporting performer, " in page
    assert "Director of photography" in page and "everyday names: actor, writer, DP" in page
    assert "Unknown work type 'Featurette'. Accepted: Feature film, Short film, TV series" in page


@pytest.mark.parametrize(
    "work_type, job, expected_type, expected_job",
    [
        ("feature", "Actor", WorkType.FEATURE_FILM, Job.PRINCIPAL),
        ("TV Episode", "writer", WorkType.TV_EPISODE, Job.WRITTEN_BY),
        ("tv_series", "DoP", WorkType.TV_SERIES, Job.DIRECTOR_OF_PHOTOGRAPHY),
        ("Teleplay", "teleplay by", WorkType.SCREENPLAY, Job.TELEPLAY_BY),
        ("novel", "Author", WorkType.BOOK, Job.AUTHOR),
        ("Audiobook", "narrator", WorkType.PODCAST, Job.NARRATOR),
        ("short", "Focus puller", WorkType.SHORT_FILM, Job.FIRST_AC),
        ("Movie", "Make-Up", WorkType.FEATURE_FILM, Job.MAKEUP_ARTIST),
        ("game", "voice actor", WorkType.VIDEO_GAME, Job.VOICE),
        ("ad", "extra", WorkType.COMMERCIAL, Job.BACKGROUND),
    ],
)
def test_roster_accepts_everyday_names_for_work_types_and_jobs(
    import_roster, member, work_type, job, expected_type, expected_job
):
    import_roster(ROSTER_HEADER + f"member@example.org,,IATSE 600,A Film,2019,{work_type},{job},,,\n")

    credit = member.credits.get()
    assert (credit.work.work_type, credit.job) == (expected_type, expected_job)
    assert member.memberships.get().union.short_name == "IATSE Local 600"


def test_imported_credits_are_looked_for_in_loaded_training_sets(import_roster, member):
    from claims.models import Match
    from tests.factories import load_manifest, make_training_set

    load_manifest(make_training_set(), "title,year,imdb\nQuiet Shore,2004,\nUnrelated Picture,2010,\n")

    import_roster(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Quiet Shore,2004,Feature,Actor,,,\n")

    assert Match.objects.get(credit__member=member).entry.raw_title == "Quiet Shore"


def test_running_the_same_roster_twice_does_not_duplicate(import_roster, member):
    roster = ROSTER_HEADER + (
        "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n"
        "sam@example.org,Sam Okafor,DGA,Night Harbor,2019,Feature,Director,,,\n"
    )
    import_roster(roster)
    page = page_text(import_roster(roster))

    assert "Credits added 0" in page and "Credits already registered 2" in page and "New member accounts 0" in page
    assert Credit.objects.count() == 2 and Work.objects.count() == 1
    assert User.objects.filter(email="sam@example.org").count() == 1


def test_importing_a_queued_import_twice_runs_it_once(verifier, member):
    credit_import = credit_import_create(
        scope=ImportScope.ROSTER,
        uploaded_by=verifier,
        upload=upload(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n"),
    )

    first = credit_import_process(import_id=credit_import.pk, site_url="http://testserver/")
    second = credit_import_process(import_id=credit_import.pk, site_url="http://testserver/")

    assert first.status == ImportStatus.DONE and second is None
    assert member.credits.count() == 1


def test_identifier_that_contradicts_a_registered_work_is_a_row_error(import_roster, member):
    make_work(title="Night Harbor", year=2019, imdb_id="tt1111111")

    page = page_text(
        import_roster(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,tt2222222,,\n")
    )

    assert (
        "2 “Night Harbor” (2019) is already registered with IMDb id tt1111111, not tt2222222. "
        "If yours is a different work, check the title, year and identifier."
    ) in page


def test_identifier_decides_over_a_differently_spelled_title(import_roster, member):
    harbor = make_work(title="Night Harbor", year=2019, imdb_id="tt1111111")

    import_roster(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbour,2019,Feature,Actor,tt1111111,,\n")

    assert member.credits.get().work == harbor


def test_member_number_of_another_member_is_a_row_error(import_roster, member, other_member):
    make_union_membership(other_member, "SAG-AFTRA", "SAG-42")

    page = page_text(
        import_roster(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,SAG-42\n")
    )

    assert "2 Member number SAG-42 in SAG-AFTRA already belongs to another member." in page


def test_roster_file_that_is_not_utf8_names_the_line(import_roster, member):
    roster = (ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n").encode()
    roster += "member@example.org,,SAG-AFTRA,Amélie,2001,Feature,Actor,,,\n".encode("latin-1")

    page = page_text(import_roster(roster))

    assert "Line 3 is not UTF-8 text. Save the file as “CSV UTF-8”" in page
    assert Credit.objects.count() == 0


# A member's own list -----------------------------------------------------------------------------


def test_member_imports_own_list_with_bom_and_windows_line_endings(import_own, member):
    text = (
        "\ufeffTitle,Year,Work Type,Job,Identifier,Character\r\nNight Harbor,2019,Feature,Actor,,Diaz\r\n"
        "Salt and Iron,2021,Book,Author,978-0-306-40615-7,\r\n"
    )

    page = page_text(import_own(text.encode()))

    assert "Imported" in page and "Credits added 2" in page
    assert set(member.credits.values_list("work__title", "credited_as")) == {
        ("Night Harbor", "Diaz"),
        ("Salt and Iron", ""),
    }
    assert Work.objects.get(title="Salt and Iron").isbn == "9780306406157"


def test_blank_rows_are_skipped_and_line_numbers_stay_true(import_own, member):
    page = page_text(
        import_own(
            "title,year,work_type,job\n\nNight Harbor,2019,Feature,Actor\n"
            ',,,\n"Salt\nand Iron",2021,Book,Author\nOdd,1700,Book,Author\n'
        )
    )

    assert "7 Year 1700 is impossible" in page  # the quoted title spans lines 5 and 6
    assert CreditImport.objects.get().rows_total == 3


def test_unclosed_quote_is_reported_with_its_line(import_own, member):
    page = page_text(
        import_own('title,year,work_type,job\nNight Harbor,2019,Feature,Actor\n"Salt and Iron,2021,Book,Author\n')
    )

    assert "Line 3 cannot be read as CSV: a quoted value is never closed" in page
    assert member.credits.count() == 0


def test_member_cannot_import_credits_for_someone_else(import_own, member):
    page = page_text(
        import_own(
            "email,title,year,work_type,job\n"
            "other@example.org,Night Harbor,2019,Feature,Actor\n"
            "MEMBER@example.org,Salt and Iron,2021,Book,Author\n"
        )
    )

    assert (
        "2 This row is for other@example.org, but you can only import your own credits: "
        "leave the email column empty or use your own address."
    ) in page
    assert member.credits.count() == 0


def test_member_import_of_too_many_rows_is_refused(import_own, member):
    rows = "".join(f"Film {n},2019,Feature,Actor\n" for n in range(5_001))

    page = page_text(import_own("title,year,work_type,job\n" + rows))

    assert "The file has more than 5,000 rows (line 5002)." in page
    assert member.credits.count() == 0


def test_member_import_counts_credits_already_registered(import_own, member):
    make_credit(member, make_work(title="Night Harbor", year=2019), job=Job.PRINCIPAL)

    page = page_text(import_own("title,year,work_type,job\nNight Harbor,2019,Feature,Actor\n"))

    assert "Credits added 0" in page and "Credits already registered 1" in page


# Invitations --------------------------------------------------------------------------------------


# A real Celery worker ----------------------------------------------------------------------------


def test_roster_import_runs_on_a_real_celery_worker(celery_worker_process, settings, member, verifier_client):
    # The worker reads uploads from this test's private folder (tests/celery_worker.py passes it on).
    roster = ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n"

    response = verifier_client.post(reverse("members:staff_credit_import"), {"file": upload(roster)})
    credit_import = CreditImport.objects.get()
    try:
        assert response.url == reverse("members:staff_credit_import_detail", args=[credit_import.pk])
        deadline = time.monotonic() + 60
        while not credit_import.is_finished and time.monotonic() < deadline:
            time.sleep(0.5)
            credit_import.refresh_from_db()

        assert credit_import.status == ImportStatus.DONE, credit_import.errors
        assert member.credits.get().work.title == "Night Harbor"
        finished = verifier_client.get(response.url, headers={"HX-Request": "true"})
        assert finished.status_code == 286 and "Credits added 1" in page_text(finished)
    finally:
        credit_import.file.delete(save=False)
