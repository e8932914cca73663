"""Members download their own credits as CSV, in the import's columns, safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.enums import Job, WorkType
from tests.factories import make_credit, make_union_membership, make_work

pytestmark = pytest.mark.django_db


def exported_rows(client) -> tuple[object, list[dict]]:
    response = client.get(reverse("members:credit_export"))
    text = response.content.decode("utf-8-sig")
    return response, list(csv.DictReader(io.StringIO(text)))


def test_export_is_an_attachment_with_the_import_columns(member_client, member):
    make_union_membership(member, "SAG-AFTRA", "SAG-42")
    make_credit(member, make_work(title="Night Harbor", year=2019, imdb_id="tt1234567"), credited_as="Officer Diaz")

    response, rows = exported_rows(member_client)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-credits-')
    assert response.content.decode("utf-8-sig").splitlines()[0] == (
        "email,name,union,title,year,work_type,job,identifier,character,member_number"
    )
    assert rows == [
        {
            "email": "member@example.org",
            "name": "Maria Santos",
            "union": "SAG-AFTRA",
            "title": "Night Harbor",
            "year": "2019",
            "work_type": "Feature film",
            "job": "Principal performer",
            "identifier": "tt1234567",
            "character": "Officer Diaz",
            "member_number": "SAG-42",
        }
    ]


def test_export_has_only_the_members_own_credits(member_client, member, other_member):
    make_credit(member, make_work(title="Night Harbor"))
    make_credit(other_member, make_work(title="Someone Else's Film"))

    _, rows = exported_rows(member_client)

    assert [row["title"] for row in rows] == ["Night Harbor"]


def test_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(member_client, member):
    make_credit(member, make_work(title='=HYPERLINK("http://evil.example")', year=2019), credited_as="+1 555 0100")
    make_credit(member, make_work(title="-30-", year=2020), credited_as="@handle")
    make_credit(member, make_work(title="Plain", year=2021), credited_as="\tTabbed")

    _, rows = exported_rows(member_client)

    cells = {(row["title"], row["character"]) for row in rows}
    assert cells == {
        ('\'=HYPERLINK("http://evil.example")', "'+1 555 0100"),
        ("'-30-", "'@handle"),
        ("Plain", "'\tTabbed"),
    }


def test_export_round_trips_through_the_member_import(member_client, member):
    make_union_membership(member, "WGA West", "W-7")
    make_credit(member, make_work(title="Night Harbor", year=2019, imdb_id="tt1234567"), credited_as="=Diaz")
    make_credit(
        member,
        make_work(title="Salt and Iron", year=2021, work_type=WorkType.BOOK, isbn="9780306406157"),
        job=Job.AUTHOR,
    )
    make_credit(member, make_work(title="-30-", year=2022, work_type=WorkType.TV_EPISODE), job=Job.TELEPLAY_BY)
    before = set(member.credits.values_list("work_id", "job", "credited_as"))
    exported = member_client.get(reverse("members:credit_export")).content
    member.credits.all().delete()

    response = member_client.post(
        reverse("members:credit_import"),
        {"file": SimpleUploadedFile("my-credits.csv", exported, content_type="text/csv")},
    )
    page = member_client.get(response.url).content.decode()

    assert "Imported" in page
    assert set(member.credits.values_list("work_id", "job", "credited_as")) == before


def test_export_needs_a_signed_in_member(client):
    response = client.get(reverse("members:credit_export"))

    assert response.status_code == 302 and reverse("account_login") in response.url
