"""Credit CSV imports: a member's own list on /credits/import/, staff rosters on /staff/imports/ and
`manage.py import_credits`. All-or-nothing per file; every bad row is listed with its line number."""

import html
import importlib
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.enums import ImportScope, ImportStatus, Job, WorkType
from members.models import Credit, CreditImport, Membership, User, Work
from members.services.credit_import import (
    account_invitations_send,
    credit_import_create,
    credit_import_process,
)
from portal.celery import app as celery_app
from tests.factories import PASSWORD, make_credit, make_member, make_union_membership, make_work

pytestmark = pytest.mark.django_db

ROSTER_HEADER = "email,name,union,title,year,work_type,job,identifier,character,member_number\n"


def upload(text: str | bytes, name: str = "credits.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


@pytest.fixture
def celery_eager():
    """Run queued tasks in the test process (the real-worker test below covers the broker)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def import_roster(verifier_client, celery_eager, django_capture_on_commit_callbacks):
    """Upload a roster on the staff page, run its queued task, and return the page the staff member sees."""

    def run(text: str | bytes, name: str = "roster.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = verifier_client.post(reverse("members:staff_credit_import"), {"file": upload(text, name)})
        assert response.status_code == 302, response.content.decode()
        return verifier_client.get(response.url)

    return run


@pytest.fixture
def import_own(member_client):
    """Upload a member's own list on /credits/import/ and return the result page they are sent to."""

    def run(text: str | bytes, name: str = "mine.csv"):
        response = member_client.post(reverse("members:credit_import"), {"file": upload(text, name)})
        assert response.status_code == 302, response.content.decode()
        return member_client.get(response.url)

    return run


def page_text(response) -> str:
    """The page as a person reads it: tags dropped, whitespace collapsed, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


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


def test_header_missing_columns_is_refused_on_upload(verifier_client):
    response = verifier_client.post(
        reverse("members:staff_credit_import"), {"file": upload("email,title,year\nmember@example.org,A Film,2019\n")}
    )

    assert "The header (line 1) is missing the columns name, union, work_type, job." in page_text(response)
    assert CreditImport.objects.count() == 0


def test_spreadsheet_workbook_is_refused_on_upload(verifier_client):
    response = verifier_client.post(
        reverse("members:staff_credit_import"), {"file": upload(b"PK\x03\x04binary", "roster.xlsx")}
    )

    assert "This is an Excel or other spreadsheet workbook, not a CSV file." in page_text(response)
    assert CreditImport.objects.count() == 0


def test_oversized_roster_is_refused_before_it_is_stored(verifier_client, settings, tmp_path):
    settings.CREDIT_IMPORT_STAFF_MAX_BYTES = 100
    roster = ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n" * 3

    response = verifier_client.post(reverse("members:staff_credit_import"), {"file": upload(roster)})

    assert "more than the limit of 100 bytes. Split it into smaller files" in page_text(response)
    assert CreditImport.objects.count() == 0
    assert not list((tmp_path / "private").rglob("*.csv"))


def test_request_far_over_the_limit_is_refused_without_a_form(verifier_client, settings):
    settings.CREDIT_IMPORT_STAFF_MAX_BYTES = 1000

    response = verifier_client.post(reverse("members:staff_credit_import"), {"file": upload("x" * 200_000)})

    assert "more than the limit of 1000 bytes" in page_text(response)
    assert CreditImport.objects.count() == 0


def test_staff_import_list_shows_recent_rosters_in_constant_queries(
    import_roster, verifier_client, member, django_assert_max_num_queries
):
    for title in ["One", "Two", "Three"]:
        import_roster(
            ROSTER_HEADER + f"member@example.org,,DGA,{title},2019,Feature,Director,,,\n", name=f"{title.lower()}.csv"
        )

    with django_assert_max_num_queries(8):
        page = page_text(verifier_client.get(reverse("members:staff_credit_import")))

    assert "one.csv" in page and "three.csv" in page and "verifier@union.example" in page
    assert "If any row has a problem, nothing is imported." in page


def test_staff_example_roster_imports_cleanly(import_roster, verifier_client):
    example = verifier_client.get(reverse("members:staff_credit_import"), {"download": "example"})
    assert example["Content-Disposition"] == 'attachment; filename="roster-example.csv"'

    page = page_text(import_roster(example.content))

    assert "Imported" in page and "Credits added 2" in page


def test_member_on_staff_import_pages_is_403(member_client, verifier):
    credit_import = credit_import_create(scope=ImportScope.ROSTER, uploaded_by=verifier, upload=upload(ROSTER_HEADER))

    assert member_client.get(reverse("members:staff_credit_import")).status_code == 403
    assert (
        member_client.post(reverse("members:staff_credit_import"), {"file": upload(ROSTER_HEADER)}).status_code == 403
    )
    assert member_client.get(reverse("members:staff_credit_import_detail", args=[credit_import.pk])).status_code == 403


# Progress page -----------------------------------------------------------------------------------


def test_progress_fragment_polls_while_queued_and_stops_with_286_when_finished(verifier_client, verifier, member):
    credit_import = credit_import_create(
        scope=ImportScope.ROSTER,
        uploaded_by=verifier,
        upload=upload(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n"),
    )
    url = reverse("members:staff_credit_import_detail", args=[credit_import.pk])

    waiting = verifier_client.get(url, headers={"HX-Request": "true"})
    assert waiting.status_code == 200
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    assert "<html" not in waiting.content.decode()
    assert "waiting for a worker" in page_text(waiting)

    credit_import_process(import_id=credit_import.pk, site_url="http://testserver/")
    finished = verifier_client.get(url, headers={"HX-Request": "true"})

    assert finished.status_code == 286
    assert "hx-trigger" not in finished.content.decode()
    assert "Credits added 1" in page_text(finished)


def test_progress_shows_rows_checked_while_running(verifier_client, verifier):
    credit_import = credit_import_create(scope=ImportScope.ROSTER, uploaded_by=verifier, upload=upload(ROSTER_HEADER))
    CreditImport.objects.filter(pk=credit_import.pk).update(
        status=ImportStatus.RUNNING, rows_total=100_000, rows_checked=12_000
    )

    page = page_text(verifier_client.get(reverse("members:staff_credit_import_detail", args=[credit_import.pk])))

    assert "Checked 12,000 of about 100,000 rows." in page


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


@pytest.mark.parametrize(
    "header, message",
    [
        (
            "title,year,work_type,job,notes",
            "The header (line 1) has unknown columns: notes. Accepted columns: email, name, union, title, year",
        ),
        ("title,year,work_type,job,Title", "The header (line 1) has these columns more than once: title."),
        ("title,work_type,job", "The header (line 1) is missing the columns year."),
        ("", "The file is empty."),
    ],
)
def test_member_upload_with_a_bad_header_is_refused_by_the_form(member_client, header, message):
    response = member_client.post(reverse("members:credit_import"), {"file": upload(header + "\n" if header else " ")})

    assert message in page_text(response)
    assert CreditImport.objects.count() == 0


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


def test_member_page_explains_all_or_nothing_and_the_example_imports(member_client, import_own, member):
    page = page_text(member_client.get(reverse("members:credit_import")))
    assert "If any row has a problem, nothing is imported." in page

    example = member_client.get(reverse("members:credit_import"), {"download": "example"})
    result = page_text(import_own(example.content))

    assert "Credits added 3" in result


def test_member_sees_own_import_but_not_another_members(member_client, member, other_member):
    own = credit_import_create(
        scope=ImportScope.MEMBER, uploaded_by=member.user, member=member, upload=upload("title,year,work_type,job\n")
    )
    others = credit_import_create(
        scope=ImportScope.MEMBER,
        uploaded_by=other_member.user,
        member=other_member,
        upload=upload("title,year,work_type,job\n"),
    )

    assert member_client.get(reverse("members:credit_import_detail", args=[own.pk])).status_code == 200
    assert member_client.get(reverse("members:credit_import_detail", args=[others.pk])).status_code == 404


def test_member_import_counts_credits_already_registered(import_own, member):
    make_credit(member, make_work(title="Night Harbor", year=2019), job=Job.PRINCIPAL)

    page = page_text(import_own("title,year,work_type,job\nNight Harbor,2019,Feature,Actor\n"))

    assert "Credits added 0" in page and "Credits already registered 1" in page


# Command line ------------------------------------------------------------------------------------


def test_import_credits_command_prints_a_summary(tmp_path, member, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n")
    make_member(email="admin@union.example", is_staff=True, is_superuser=True)

    call_command("import_credits", str(roster))

    out = capsys.readouterr().out
    assert "Imported 1 rows: 1 credits added, 0 already registered, 1 new works, 0 new accounts." in out
    assert CreditImport.objects.get().uploaded_by.email == "admin@union.example"


def test_import_credits_command_lists_errors_and_exits_non_zero(tmp_path, verifier, member, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n"
        "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Juggler,,,\n"
    )

    with pytest.raises(CommandError) as failure:
        call_command("import_credits", str(roster), "--by", verifier.email)

    assert failure.value.returncode == 1
    assert "Nothing was imported" in str(failure.value)
    assert "line 3: Unknown job 'Juggler'." in capsys.readouterr().out
    assert Credit.objects.count() == 0


def test_import_credits_command_can_queue_the_import(
    tmp_path, verifier, member, capsys, celery_eager, django_capture_on_commit_callbacks
):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_credits", str(roster), "--by", verifier.email, "--queue")

    assert f"Queued import #{CreditImport.objects.get().pk}" in capsys.readouterr().out
    assert CreditImport.objects.get().status == ImportStatus.DONE
    assert member.credits.count() == 1


def test_invitations_skip_accounts_already_claimed(import_roster):
    import_roster(
        ROSTER_HEADER + "sam@example.org,Sam Okafor,DGA,Night Harbor,2019,Feature,Director,,,\n"
        "kim@example.org,Kim Lee,DGA,Night Harbor,2019,Feature,Assistant director,,,\n"
    )
    sam = User.objects.get(email="sam@example.org")
    sam.set_password(PASSWORD)
    sam.save()
    mail.outbox.clear()

    sent = account_invitations_send(
        user_ids=list(
            User.objects.filter(email__in=["sam@example.org", "kim@example.org"]).values_list("pk", flat=True)
        ),
        site_url="http://testserver/",
    )

    assert sent == 1 and [message.to for message in mail.outbox] == [["kim@example.org"]]


def test_import_credits_command_needs_an_uploader(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_HEADER)

    with pytest.raises(CommandError, match="pass --by EMAIL"):
        call_command("import_credits", str(roster))


# A real Celery worker ----------------------------------------------------------------------------


@pytest.fixture
def unions_loaded():
    """Earlier transactional tests empty every table, the unions from the data migration too;
    load them again (serialized_rollback is not enough after Playwright has run in this process)."""
    from django.apps import apps

    importlib.import_module("members.migrations.0002_unions").load_unions(apps, None)


def test_roster_import_runs_on_a_real_celery_worker(
    celery_worker_process, unions_loaded, settings, member, verifier_client
):
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
