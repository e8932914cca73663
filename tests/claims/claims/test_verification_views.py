"""The verifier's staff pages (claims.views.claims.verification): the CSV export, evidence
downloads, who may open the pages at all, and the queue's cost as it grows."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.services.claims.evidence import evidence_add
from tests.claims.claims.verification_builders import TITLES, file_claim, page_text, take
from tests.factories import make_member, make_staff, make_union_membership, make_verifier
from tests.queries import assert_page_queries_constant


def test_queue_query_count_does_not_grow_with_claims(verifier_client, iatse_verifier, opensubs, camera_member):
    def add_claims():
        shown = []
        for title in TITLES[1:8]:
            member = make_member(legal_name=f"Member {title}", professional_names=[f"Name {title}"])
            make_union_membership(member, "IATSE Local 600")
            claim = file_claim(member, title, opensubs)
            evidence_add(
                claim=claim, upload=SimpleUploadedFile("a.txt", b"proof"), kind="other", uploaded_by=member.user
            )
            shown += [claim.number, f"Member {title}"]
        return shown

    file_claim(camera_member, "Amberfield", opensubs)
    assert_page_queries_constant(verifier_client, reverse("claims:verify_queue"), add_claims)


def test_bulk_verify_preview_query_count_does_not_grow_with_claims(
    verifier_client, iatse_verifier, opensubs, camera_member
):
    def add_claims():
        numbers = []
        for title in TITLES[2:12:2]:  # matched by identifier, so bulk verify takes them
            member = make_member(legal_name=f"Member {title}")
            make_union_membership(member, "IATSE Local 600")
            numbers.append(file_claim(member, title, opensubs).number)
        return numbers

    file_claim(camera_member, "Amberfield", opensubs)
    assert_page_queries_constant(verifier_client, reverse("claims:verify_bulk"), add_claims)


def test_export_is_filtered_like_the_screen_and_neutralises_formulas(
    verifier_client, iatse_verifier, opensubs, camera_member, writer_member
):
    camera_member.legal_name = '=HYPERLINK("http://evil")'
    camera_member.save()
    identifier = file_claim(camera_member, "Amberfield", opensubs)
    file_claim(camera_member, "Birchwood", opensubs)
    file_claim(writer_member, "Cedarline", opensubs, job="written_by")
    response = verifier_client.get(reverse("claims:verify_export"), {"method": "identifier"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "claim" and len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["claim"] == identifier.number and row["member"] == '\'=HYPERLINK("http://evil")'
    assert row["best score"] == "100" and row["unions"] == "IATSE Local 600"
    everything = list(
        csv.reader(
            io.StringIO(b"".join(verifier_client.get(reverse("claims:verify_export")).streaming_content).decode())
        )
    )
    assert len(everything) == 3  # the WGA claim is not the verifier's


# Evidence downloads


def test_evidence_download_for_a_visible_claim_with_safe_headers(
    verifier_client, iatse_verifier, opensubs, camera_member
):
    claim = file_claim(camera_member, "Amberfield", opensubs)
    evidence = evidence_add(
        claim=claim,
        upload=SimpleUploadedFile("memo.pdf", b"%PDF-1.4 memo"),
        kind="contract",
        uploaded_by=camera_member.user,
    )
    response = verifier_client.get(reverse("claims:staff_evidence_download", args=[claim.pk, evidence.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 memo"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_evidence_download_of_an_invisible_claim_is_404(
    verifier_client, iatse_verifier, opensubs, writer_member, camera_member
):
    wga = file_claim(writer_member, "Birchwood", opensubs, job="written_by")
    evidence = evidence_add(
        claim=wga,
        upload=SimpleUploadedFile("memo.pdf", b"%PDF-1.4 memo"),
        kind="contract",
        uploaded_by=writer_member.user,
    )
    mine = file_claim(camera_member, "Amberfield", opensubs)
    assert verifier_client.get(reverse("claims:staff_evidence_download", args=[wga.pk, evidence.pk])).status_code == 404
    # The file's id under a claim the verifier can see does not open it either.
    assert (
        verifier_client.get(reverse("claims:staff_evidence_download", args=[mine.pk, evidence.pk])).status_code == 404
    )


# Who may open staff pages


STAFF_PAGES = [
    ("claims:verify_queue", 0),
    ("claims:verify_dashboard", 0),
    ("claims:verify_export", 0),
    ("claims:verify_bulk", 0),
    ("claims:verify_claim", 1),
    ("claims:verify_act", 1),
    ("claims:staff_evidence_download", 2),
]


@pytest.mark.parametrize("name, args", STAFF_PAGES)
def test_member_on_every_staff_claims_page_is_403(member_client, name, args):
    url = reverse(name, args=[1, 1][:args])
    assert member_client.get(url).status_code == 403
    assert member_client.post(url).status_code == 403


@pytest.mark.parametrize("name, args", STAFF_PAGES)
def test_staff_without_two_step_is_sent_to_set_it_up(db, client, name, args):
    client.force_login(make_staff(email="new@union.example", with_mfa=False))
    url = reverse(name, args=[1, 1][:args])
    response = client.post(url) if name == "claims:verify_act" else client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_staff_bar_links_to_the_queue_and_dashboard(verifier_client):
    content = page_text(verifier_client.get(reverse("claims:verify_queue")))
    assert f'href="{reverse("claims:verify_queue")}">Claims queue' in content
    assert f'href="{reverse("claims:verify_dashboard")}">Claims dashboard' in content


def test_verify_dashboard_query_count_does_not_grow_with_verifiers_and_unions(
    verifier_client, iatse_verifier, opensubs, camera_member
):
    def add_verifiers_and_unions():
        emails = []
        for number, (title, local) in enumerate([("Birchwood", "IATSE Local 700"), ("Cedarline", "IATSE Local 800")]):
            member = make_member(legal_name=f"Member {title}")
            make_union_membership(member, local)
            other = make_verifier(email=f"verifier{number}@union.example", unions=("IATSE",))
            take(file_claim(member, title, opensubs), other)
            emails.append(other.email)
        return [*emails, "IATSE Local 700", "IATSE Local 800"]

    take(file_claim(camera_member, "Amberfield", opensubs), iatse_verifier)
    assert_page_queries_constant(verifier_client, reverse("claims:verify_dashboard"), add_verifiers_and_unions)
