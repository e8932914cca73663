"""The credit import pages (members.views.imports): what the upload form refuses before anything is
stored, the lists of recent imports, the examples, the progress page, and who may see which import."""

import pytest
from django.urls import reverse

from members.enums import ImportScope, ImportStatus
from members.models import CreditImport
from members.services.credit_import import credit_import_create, credit_import_process
from tests.members.credit_files import ROSTER_HEADER, page_text, upload
from tests.queries import assert_page_queries_constant

pytestmark = pytest.mark.django_db


def test_roster_upload_missing_columns_is_refused(verifier_client):
    response = verifier_client.post(
        reverse("members:staff_credit_import"), {"file": upload("email,title,year\nmember@example.org,A Film,2019\n")}
    )

    assert "The header (line 1) is missing the columns name, union, work_type, job." in page_text(response)
    assert CreditImport.objects.count() == 0


def test_roster_upload_of_a_spreadsheet_workbook_is_refused(verifier_client):
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


def test_roster_upload_far_over_the_limit_is_refused_without_a_form(verifier_client, settings):
    settings.CREDIT_IMPORT_STAFF_MAX_BYTES = 1000

    response = verifier_client.post(reverse("members:staff_credit_import"), {"file": upload("x" * 200_000)})

    assert "more than the limit of 1000 bytes" in page_text(response)
    assert CreditImport.objects.count() == 0


def test_staff_import_list_shows_recent_rosters_in_constant_queries(import_roster, verifier_client, member):
    def roster(title: str) -> None:
        import_roster(
            ROSTER_HEADER + f"member@example.org,,DGA,{title},2019,Feature,Director,,,\n", name=f"{title.lower()}.csv"
        )

    def add_rosters():
        for title in ["Two", "Three"]:
            roster(title)
        return ["two.csv", "three.csv"]

    roster("One")
    queries = assert_page_queries_constant(verifier_client, reverse("members:staff_credit_import"), add_rosters)
    page = page_text(verifier_client.get(reverse("members:staff_credit_import")))

    assert queries <= 8
    assert "one.csv" in page and "three.csv" in page and "verifier@union.example" in page
    assert "If any row has a problem, nothing is imported." in page


def test_member_import_list_query_count_does_not_grow_with_imports(member_client, member, other_member):
    def import_file(name: str, by=member) -> str:
        credit_import_create(
            scope=ImportScope.MEMBER, uploaded_by=by.user, member=by, upload=upload("title,year,work_type,job\n", name)
        )
        return name

    import_file("first.csv")
    import_file("theirs.csv", by=other_member)
    assert_page_queries_constant(
        member_client,
        reverse("members:credit_import"),
        lambda: [import_file(f"later-{number}.csv") for number in range(1, 5)],
    )
    assert "theirs.csv" not in member_client.get(reverse("members:credit_import")).content.decode()


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


def test_import_progress_fragment_polls_while_queued_and_stops_with_286_when_finished(
    verifier_client, verifier, member
):
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


def test_import_progress_shows_rows_checked_while_running(verifier_client, verifier):
    credit_import = credit_import_create(scope=ImportScope.ROSTER, uploaded_by=verifier, upload=upload(ROSTER_HEADER))
    CreditImport.objects.filter(pk=credit_import.pk).update(
        status=ImportStatus.RUNNING, rows_total=100_000, rows_checked=12_000
    )

    page = page_text(verifier_client.get(reverse("members:staff_credit_import_detail", args=[credit_import.pk])))

    assert "Checked 12,000 of about 100,000 rows." in page


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
