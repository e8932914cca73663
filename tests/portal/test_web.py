"""The portal's shared responses, as people get them from the pages: every CSV download shows a
formula as text, every private file comes with headers that keep it private and inert, and a
progress fragment tells htmx to stop polling (HTTP 286) once its job is finished."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import AllocationLine, Manifest
from claims.services.claims.evidence import evidence_add
from claims.services.residuals.statement_runs import statement_run_start
from claims.services.residuals.statements import statement_render
from portal.web import csv_download, private_file_response
from tests import factories
from tests.claims.residuals.statement_builders import add_lines, make_issued_pool

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example")'
SHOWN = "'" + EVIL  # what a spreadsheet then shows: the text, not a link
PRIVATE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "private, no-store",
}


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def assert_private_csv(response, filename: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert {header: response[header] for header in PRIVATE_HEADERS} == PRIVATE_HEADERS


# Every CSV download: a formula typed by a member or a developer arrives as text


def test_match_export_shows_a_formula_title_as_text(verifier_client, member):
    factories.make_credit(member, factories.make_work(title=EVIL, year=2001))
    training_set = factories.make_training_set()
    factories.load_manifest(training_set, f"title,year\n{EVIL},2001\n")

    response = verifier_client.get(reverse("claims:match_export", args=[training_set.pk]))

    assert_private_csv(response, f"matches-training-set-{training_set.pk}.csv")
    header, row = csv_rows(response)
    assert (row[header.index("credit title")], row[header.index("manifest title as written")]) == (SHOWN, SHOWN)


def test_claim_export_shows_a_formula_name_as_text(client):
    member = factories.make_member(email="evil@example.org", legal_name=EVIL)
    factories.make_union_membership(member, "SAG-AFTRA")
    claim = factories.make_claim(member)
    client.force_login(factories.make_verifier(unions=("SAG-AFTRA",)))

    response = client.get(reverse("claims:verify_export"))

    assert_private_csv(response, "claims.csv")
    header, row = csv_rows(response)
    assert (row[header.index("claim")], row[header.index("member")]) == (claim.number, SHOWN)


def test_pool_lines_show_a_formula_name_as_text(verifier_client):
    member = factories.make_member(email="evil@example.org", legal_name=EVIL)
    pool = make_issued_pool()
    add_lines(pool, member, ["10.00"])

    response = verifier_client.get(reverse("claims:pool_lines_csv", args=[pool.pk]))

    assert_private_csv(response, f"pool-{pool.pk}-issued-lines.csv")
    header, row = csv_rows(response)
    assert (row[header.index("member email")], row[header.index("member")]) == ("evil@example.org", SHOWN)


def test_statement_csv_shows_a_formula_basis_as_text(client, member, verifier):
    factories.make_union_membership(member, "SAG-AFTRA")
    pool = make_issued_pool()
    [line] = add_lines(pool, member, ["120.50"])
    AllocationLine.objects.filter(pk=line.pk).update(basis=EVIL)
    statement = statement_run_start(pool=pool, started_by=verifier).statements.get()
    statement_render(statement_id=statement.pk)
    statement.refresh_from_db()
    client.force_login(member.user)

    response = client.get(reverse("claims:statement_csv", args=[statement.pk]))

    assert_private_csv(response, f"residual-statement-{statement.number}.csv")
    header, row = csv_rows(response)
    assert (row[header.index("statement")], row[header.index("basis")]) == (statement.number, SHOWN)


def test_credit_export_shows_a_formula_title_as_text(member_client, member):
    factories.make_credit(member, factories.make_work(title=EVIL, year=2019), credited_as="@handle")

    response = member_client.get(reverse("members:credit_export"))

    assert_private_csv(response, response["Content-Disposition"].split('"')[1])
    assert response["Content-Disposition"].startswith('attachment; filename="my-credits-')
    header, row = csv_rows(response)
    assert (row[header.index("title")], row[header.index("character")]) == (SHOWN, "'@handle")


def test_import_example_is_a_private_csv(member_client):
    response = member_client.get(reverse("members:credit_import"), {"download": "example"})

    assert_private_csv(response, "credits-example.csv")
    assert csv_rows(response)[1][:2] == ["Night Harbor", "2019"]


def test_csv_download_guards_cells_and_quotes_a_filename_typed_by_a_person():
    response = csv_download(rows=[["title"], ["-30-"], ["+1 555 0100"]], filename='Q3 "final"\r\n.csv')

    assert csv_rows(response) == [["title"], ["'-30-"], ["'+1 555 0100"]]
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Q3%20%22final%22%0D%0A.csv"


# Private files


def test_member_evidence_is_a_private_attachment_sent_as_utf8_text(member_client, member):
    claim = factories.make_claim(member, submit=False)
    evidence = evidence_add(
        claim=claim,
        upload=SimpleUploadedFile("call sheet.txt", b"Call time 6:00"),
        kind="contract",
        uploaded_by=member.user,
    )

    response = member_client.get(reverse("claims:evidence_download", args=[claim.pk, evidence.pk]))

    assert b"".join(response.streaming_content) == b"Call time 6:00"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{claim.number}-file-{evidence.pk}.txt"'
    assert {header: response[header] for header in PRIVATE_HEADERS} == PRIVATE_HEADERS


def test_verifier_downloads_evidence_under_the_members_own_file_name_safely(client, member):
    factories.make_union_membership(member, "SAG-AFTRA")
    claim = factories.make_claim(member)
    evidence = evidence_add(
        claim=claim,
        upload=SimpleUploadedFile('Mémo "final".pdf', b"%PDF-1.4 memo"),
        kind="contract",
        uploaded_by=member.user,
    )
    client.force_login(factories.make_verifier(unions=("SAG-AFTRA",)))
    url = reverse("claims:staff_evidence_download", args=[claim.pk, evidence.pk])

    download = client.get(url, {"download": "1"})
    shown = client.get(url)

    assert download["Content-Disposition"] == "attachment; filename*=utf-8''M%C3%A9mo%20%22final%22.pdf"
    assert shown["Content-Disposition"] == "inline; filename*=utf-8''M%C3%A9mo%20%22final%22.pdf"
    for response in (download, shown):
        assert {header: response[header] for header in PRIVATE_HEADERS} == PRIVATE_HEADERS


def test_private_file_response_never_lets_a_file_name_break_the_header():
    response = private_file_response(
        file=io.BytesIO(b"%PDF-1.4"), filename="a\r\nSet-Cookie: session=stolen.pdf", content_type="application/pdf"
    )

    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "Set-Cookie" not in response.headers
    assert disposition == "attachment; filename*=utf-8''a%0D%0ASet-Cookie%3A%20session%3Dstolen.pdf"
    assert response["Content-Length"] == "8"


# Progress fragments


def test_manifest_progress_polls_while_loading_and_stops_with_286_when_it_failed(verifier_client):
    manifest = Manifest.objects.create(
        training_set=factories.make_training_set(), original_name="x.csv", file_size=10, status="loading"
    )
    url = reverse("claims:manifest_detail", args=[manifest.pk])

    loading = verifier_client.get(url, headers={"HX-Request": "true"})
    Manifest.objects.filter(pk=manifest.pk).update(status="failed")
    failed = verifier_client.get(url, headers={"HX-Request": "true"})

    assert loading.status_code == 200 and 'hx-trigger="every 2s"' in loading.content.decode()
    assert failed.status_code == 286 and "hx-trigger" not in failed.content.decode()
    assert "<html" not in failed.content.decode()


def test_members_finished_import_fragment_is_286(member_client, member):
    posted = member_client.post(
        reverse("members:credit_import"),
        {"file": SimpleUploadedFile("mine.csv", b"title,year,work_type,job\nNight Harbor,2019,Feature film,Actor\n")},
    )

    fragment = member_client.get(posted.url, headers={"HX-Request": "true"})

    assert fragment.status_code == 286
    assert "<html" not in fragment.content.decode() and "hx-trigger" not in fragment.content.decode()
