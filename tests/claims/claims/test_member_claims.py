"""A member's claims: claiming in one click or by hand, drafts, submitting under the share
rules, evidence, answering a request for information, withdrawing, and what nobody else sees."""

import hashlib
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.enums import ClaimStatus
from claims.models import Claim, ClaimEvent, Evidence, Match, VerifierAssignment
from claims.services.claims.evidence import evidence_add
from claims.services.claims.filing import claim_start, claim_submit
from claims.services.claims.notifications import claim_notify
from claims.services.claims.transitions import Actor, claim_transition
from members.models import Union
from tests.factories import (
    load_manifest,
    make_credit,
    make_member,
    make_staff,
    make_training_set,
    make_union_membership,
    make_work,
)
from tests.queries import assert_page_queries_constant

pytestmark = pytest.mark.django_db

LISTING = 'title,year,creators\n"Night Harbor, The (2019)",,\nPaper Moons,2015,Maria Santos; Ana Ruiz\n'
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
TEXT = b"Call sheet, day 3: Maria Santos, 6:00 am.\n"


@pytest.fixture
def training_set():
    training_set = make_training_set()
    return training_set


@pytest.fixture
def match(member, training_set):
    make_credit(member, make_work(title="The Night Harbor", year=2019))
    load_manifest(training_set, LISTING)
    return Match.objects.select_related("entry", "credit", "training_set").get(credit__member=member)


@pytest.fixture
def draft(member, match):
    return claim_start(member=member, credit=match.credit, training_set=match.training_set, entries=[match.entry])


def _writer_claims(member, training_set):
    """Member's draft as a screenwriter on Paper Moons, and a co-writer who has claimed 60%."""
    work = make_work(title="Paper Moons", year=2015)
    manifest = load_manifest(training_set, LISTING, match=False)
    training_set.refresh_from_db()
    entry = manifest.entries.get(title__icontains="paper moons")
    mine = claim_start(
        member=member, credit=make_credit(member, work, job="screenplay_by"), training_set=training_set, entries=[entry]
    )
    cowriter = make_member(
        email="ana@example.org", legal_name="Ana Ruiz-Ortega Private", professional_names=["Ana Ruiz", "A. Ruiz"]
    )
    theirs = claim_start(
        member=cowriter,
        credit=make_credit(cowriter, work, job="written_by"),
        training_set=training_set,
        entries=[entry],
    )
    claim_submit(claim=theirs, actor=Actor(user=cowriter.user), declared_share=Decimal("60"))
    return mine, theirs


def _submit(client, claim, share="", statement="I played the harbour master."):
    return client.post(
        reverse("claims:claim_submit", args=[claim.pk]), {"declared_share": share, "statement": statement}
    )


def _needs_info(member, claim, message="Please send your contract or a call sheet."):
    """The claim submitted, taken by a verifier of the member's union and sent back with a question."""
    verifier = make_staff(email="verifier.jones@union.example")
    VerifierAssignment.objects.create(verifier=verifier, union=Union.objects.get(short_name="SAG-AFTRA"))
    make_union_membership(member, "SAG-AFTRA")
    claim_submit(claim=claim, actor=Actor(user=member.user), declared_share=None)
    claim_transition(claim=claim, to=ClaimStatus.IN_REVIEW, actor=Actor(user=verifier))
    claim_transition(claim=claim, to=ClaimStatus.NEEDS_INFO, actor=Actor(user=verifier), message=message)
    return verifier


def _upload(client, claim, name, data, kind="contract"):
    return client.post(
        reverse("claims:evidence_upload", args=[claim.pk]), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


# One-click claim from a match


def test_claim_this_opens_one_draft_however_often_it_is_clicked(member_client, match):
    url = reverse("claims:match_confirm", args=[match.pk])
    first = member_client.post(url)
    second = member_client.post(url)
    claim = Claim.objects.get()
    assert first.url == second.url == reverse("claims:claim_detail", args=[claim.pk])
    assert claim.status == ClaimStatus.DRAFT and list(claim.entries.all()) == [match.entry]
    page = member_client.get(first.url).content.decode()
    assert f"Your claim {claim.number}" in page and "Night Harbor, The (2019)" in page
    assert "Principal performer" in page and "Submit claim" in page


def test_claim_this_with_htmx_redirects_to_the_claim_page(member_client, match):
    response = member_client.post(reverse("claims:match_confirm", args=[match.pk]), headers={"HX-Request": "true"})
    claim = Claim.objects.get()
    assert response["HX-Redirect"] == reverse("claims:claim_detail", args=[claim.pk])


def test_claim_this_on_another_members_match_is_404(client, match, other_member):
    client.force_login(other_member.user)
    assert client.post(reverse("claims:match_confirm", args=[match.pk])).status_code == 404
    assert not Claim.objects.exists()


# Claim by hand


def test_member_finds_a_work_by_search_and_claims_it_by_hand(member_client, member, training_set):
    credit = make_credit(member, make_work(title="Paper Moons", year=2015), job="screenplay_by")
    manifest = load_manifest(training_set, LISTING, match=False)
    url = reverse("claims:claim_new")
    page = member_client.get(url, {"credit": credit.pk, "training_set": training_set.pk, "q": "moons"}).content.decode()
    assert "Paper Moons" in page and "by Maria Santos; Ana Ruiz" in page
    entry = manifest.entries.get(title="Paper Moons")
    response = member_client.post(
        url, {"credit": credit.pk, "training_set": training_set.pk, "q": "moons", "entries": [entry.pk]}
    )
    claim = Claim.objects.get()
    assert response.url == reverse("claims:claim_detail", args=[claim.pk])
    assert claim.credit == credit and list(claim.entries.all()) == [entry]


def test_claim_by_hand_with_another_members_credit_is_404(member_client, other_member, training_set):
    credit = make_credit(other_member, make_work(title="Paper Moons", year=2015), job="screenplay_by")
    manifest = load_manifest(training_set, LISTING, match=False)
    response = member_client.post(
        reverse("claims:claim_new"),
        {"credit": credit.pk, "training_set": training_set.pk, "entries": [manifest.entries.first().pk]},
    )
    assert response.status_code == 404
    assert not Claim.objects.exists()


def test_claim_by_hand_refuses_an_entry_from_another_listing(member_client, member, training_set):
    credit = make_credit(member, make_work(title="Paper Moons", year=2015), job="screenplay_by")
    load_manifest(training_set, LISTING, match=False)
    elsewhere = load_manifest(make_training_set(name="Books3"), LISTING, match=False)
    response = member_client.post(
        reverse("claims:claim_new"),
        {"credit": credit.pk, "training_set": training_set.pk, "entries": [elsewhere.entries.first().pk]},
    )
    assert "not in the current listing of this set" in response.content.decode()
    assert not Claim.objects.exists()


# Drafts and submitting


def test_draft_is_saved_and_reopened(member_client, draft):
    url = reverse("claims:claim_detail", args=[draft.pk])
    response = member_client.post(url, {"declared_share": "25.5", "statement": "Credited as Harbour Master."})
    assert response.url == url
    page = member_client.get(url).content.decode()
    assert 'value="25.50"' in page and "Credited as Harbour Master." in page
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.DRAFT and not draft.events.exists()


def test_submit_shows_a_receipt_with_the_claim_number(member_client, draft):
    response = _submit(member_client, draft)
    page = member_client.get(response.url).content.decode()
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.SUBMITTED
    assert f"Your claim {draft.number} is submitted" in page
    assert "Receipt" in page and draft.number in page and "Night Harbor, The (2019)" in page
    assert "OpenSubs 2024" in page and "I played the harbour master." in page
    assert "Claim submitted" in page  # the timeline's step


def test_double_submit_is_refused_clearly_with_no_second_event(member_client, draft):
    _submit(member_client, draft)
    response = _submit(member_client, draft)
    page = member_client.get(response.url).content.decode()
    assert f"Claim {draft.number} has already been submitted" in page
    assert ClaimEvent.objects.filter(claim=draft, to_status=ClaimStatus.SUBMITTED).count() == 1
    assert Claim.objects.count() == 1


def test_over_claim_is_blocked_before_anything_is_submitted(member_client, member, training_set):
    mine, _ = _writer_claims(member, training_set)
    url = reverse("claims:claim_detail", args=[mine.pk])
    assert "Share still free for writers on this work: 40%" in member_client.get(url).content.decode()
    saved = member_client.post(url, {"declared_share": "50", "statement": ""}).content.decode()
    assert "at most 40% remains" in saved
    submitted = _submit(member_client, mine, share="50").content.decode()
    assert "at most 40% remains" in submitted
    mine.refresh_from_db()
    assert mine.status == ClaimStatus.DRAFT and mine.declared_share is None and not mine.events.exists()
    _submit(member_client, mine, share="40")
    mine.refresh_from_db()
    assert mine.status == ClaimStatus.SUBMITTED and mine.declared_share == Decimal("40.00")


def test_share_over_100_or_with_more_than_two_decimals_is_refused(member_client, draft):
    for share in ["100.01", "0", "12.345"]:
        response = _submit(member_client, draft, share=share)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.DRAFT


def test_others_who_claimed_are_shown_by_professional_name_before_submitting(member_client, member, training_set):
    mine, _ = _writer_claims(member, training_set)
    page = member_client.get(reverse("claims:claim_detail", args=[mine.pk])).content.decode()
    assert "Ana Ruiz" in page and "60.00%" in page
    assert "Ruiz-Ortega Private" not in page and "ana@example.org" not in page


def test_posted_status_and_member_are_ignored(member_client, draft, other_member):
    url = reverse("claims:claim_detail", args=[draft.pk])
    member_client.post(url, {"declared_share": "", "statement": "x", "status": "verified", "member": other_member.pk})
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.DRAFT and draft.member != other_member
    member_client.post(
        reverse("claims:claim_submit", args=[draft.pk]),
        {"declared_share": "", "statement": "", "status": "verified", "member": other_member.pk},
    )
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.SUBMITTED and draft.member != other_member


# Withdraw and start again


def test_member_withdraws_after_confirming_and_starts_again(member_client, draft):
    _submit(member_client, draft)
    url = reverse("claims:claim_withdraw", args=[draft.pk])
    assert "Yes, withdraw my claim" in member_client.get(url).content.decode()
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.SUBMITTED  # looking at the question changes nothing
    page = member_client.get(member_client.post(url, {"message": "Wrong film"}).url).content.decode()
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.WITHDRAWN
    assert "Claim withdrawn" in page and "Wrong film" in page and "Start again" in page
    member_client.post(reverse("claims:claim_restart", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.DRAFT


# A request for information, and the answer


def test_member_answers_a_request_for_information_with_text_and_a_file(member_client, member, draft):
    verifier = _needs_info(member, draft)
    url = reverse("claims:claim_detail", args=[draft.pk])
    page = member_client.get(url).content.decode()
    assert "Please send your contract or a call sheet." in page and "Send answer" in page
    response = member_client.post(
        reverse("claims:claim_answer", args=[draft.pk]),
        {"answer": "Here is my deal memo.", "kind": "contract", "files": [SimpleUploadedFile("memo.pdf", PDF)]},
    )
    assert response.url == url
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.IN_REVIEW
    answer = draft.events.get(from_status=ClaimStatus.NEEDS_INFO)
    assert answer.message == "Here is my deal memo." and answer.actor == member.user
    assert Evidence.objects.get(claim=draft).event == answer
    page = member_client.get(url).content.decode()
    assert "Here is my deal memo." in page and "memo.pdf" in page
    assert "Union staff" in page and verifier.email not in page and "verifier.jones" not in page


def test_answer_with_a_refused_file_leaves_the_request_open(member_client, member, draft):
    _needs_info(member, draft)
    response = member_client.post(
        reverse("claims:claim_answer", args=[draft.pk]),
        {
            "answer": "See attached.",
            "kind": "contract",
            "files": [SimpleUploadedFile("memo.pdf", b"<html><body>not a pdf</body></html>")],
        },
    )
    assert "is not a PDF, PNG, JPEG or plain-text file" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.NEEDS_INFO and not Evidence.objects.exists()


def test_member_is_emailed_a_link_to_the_claim_when_asked_for_information(member, draft):
    _needs_info(member, draft)
    assert claim_notify(claim_id=draft.pk, status=ClaimStatus.NEEDS_INFO)
    (email,) = mail.outbox
    assert email.to == [member.user.email] and draft.number in email.subject
    assert reverse("claims:claim_detail", args=[draft.pk]) in email.body


def test_member_timeline_shows_union_staff_never_the_verifier(member_client, member, draft):
    verifier = _needs_info(member, draft, message="Which episode were you in?")
    page = member_client.get(reverse("claims:claim_detail", args=[draft.pk])).content.decode()
    for step in ["Claim started", "Claim submitted", "Being checked", "More information asked for"]:
        assert step in page
    assert page.count("Union staff") >= 2
    assert verifier.email not in page and "Which episode were you in?" in page


# Evidence


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("contract.pdf", PDF, "application/pdf"),
        ("credit.png", PNG, "image/png"),
        ("credit.jpg", JPEG, "image/jpeg"),
        ("call-sheet.txt", TEXT, "text/plain"),
    ],
)
def test_evidence_of_each_accepted_kind_is_stored_with_its_sha256(member_client, draft, name, data, content_type):
    response = _upload(member_client, draft, name, data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=draft)
    assert evidence.content_type == content_type and evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.original_name == name and name not in evidence.file.name
    assert name in member_client.get(reverse("claims:claim_detail", args=[draft.pk])).content.decode()


def test_a_pdf_that_is_really_a_web_page_is_refused(member_client, draft):
    response = _upload(member_client, draft, "contract.pdf", b"<!DOCTYPE html><script>alert(1)</script>")
    assert "is not a PDF, PNG, JPEG or plain-text file" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_file_over_10_mb_is_refused(member_client, draft):
    response = _upload(member_client, draft, "big.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    assert "larger than 10 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_eleventh_file_is_refused(member_client, member, draft):
    for number in range(10):
        evidence_add(
            claim=draft, upload=SimpleUploadedFile(f"page{number}.txt", TEXT), kind="other", uploaded_by=member.user
        )
    response = _upload(member_client, draft, "page11.pdf", PDF)
    assert "at most 10 files" in response.content.decode()
    assert Evidence.objects.filter(claim=draft).count() == 10


def test_evidence_download_is_sandboxed_under_a_name_we_choose(member_client, member, draft):
    evidence = evidence_add(
        claim=draft, upload=SimpleUploadedFile("<script>.pdf", PDF), kind="contract", uploaded_by=member.user
    )
    response = member_client.get(reverse("claims:evidence_download", args=[draft.pk, evidence.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{draft.number}-file-{evidence.pk}.pdf"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_image_evidence_is_shown_inline(member_client, member, draft):
    evidence = evidence_add(
        claim=draft, upload=SimpleUploadedFile("credit.png", PNG), kind="screen_credit", uploaded_by=member.user
    )
    response = member_client.get(reverse("claims:evidence_download", args=[draft.pk, evidence.pk]))
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"


# What another member sees: nothing


def test_another_member_gets_404_on_the_claim_its_timeline_and_its_files(client, member, draft, other_member):
    draft_pk = draft.pk
    claim_submit(claim=draft, actor=Actor(user=member.user), declared_share=None)
    evidence = evidence_add(
        claim=draft, upload=SimpleUploadedFile("memo.pdf", PDF), kind="contract", uploaded_by=member.user
    )
    client.force_login(other_member.user)
    assert client.get(reverse("claims:claim_detail", args=[draft_pk])).status_code == 404
    assert client.get(reverse("claims:evidence_download", args=[draft_pk, evidence.pk])).status_code == 404
    assert client.get(reverse("claims:claim_withdraw", args=[draft_pk])).status_code == 404
    for name in ["claim_submit", "claim_withdraw", "claim_restart", "claim_answer", "evidence_upload"]:
        assert client.post(reverse(f"claims:{name}", args=[draft_pk]), {"answer": "x"}).status_code == 404
    assert draft_pk not in [claim.pk for claim in client.get(reverse("claims:claim_list")).context["claims"]]
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.SUBMITTED and Evidence.objects.count() == 1


def test_evidence_of_my_claim_under_another_claims_address_is_404(member_client, member, draft, training_set):
    other_claim = claim_start(
        member=member,
        credit=make_credit(member, make_work(title="Other", year=2001)),
        training_set=training_set,
        entries=[],
    )
    evidence = evidence_add(
        claim=draft, upload=SimpleUploadedFile("memo.pdf", PDF), kind="contract", uploaded_by=member.user
    )
    assert member_client.get(reverse("claims:evidence_download", args=[other_claim.pk, evidence.pk])).status_code == 404


# Lists


def test_my_claims_lists_number_work_set_and_status(member_client, draft):
    _submit(member_client, draft)
    page = member_client.get(reverse("claims:claim_list")).content.decode()
    assert draft.number in page and "The Night Harbor (2019)" in page and "OpenSubs 2024" in page
    assert "Submitted" in page


def test_dashboard_shows_open_claims_with_their_status(member_client, draft):
    page = member_client.get(reverse("claims:dashboard")).content.decode()
    assert "My claims" in page and draft.number in page and "Draft" in page
    assert reverse("claims:claim_detail", args=[draft.pk]) in page


def test_claim_list_query_count_does_not_grow_with_claims(member_client, member, training_set):
    def add_claims():
        claims = [
            claim_start(
                member=member,
                credit=make_credit(member, make_work(title=f"Film {number}", year=2000)),
                training_set=make_training_set(name=f"Set {number}"),
                entries=[],
            )
            for number in range(1, 6)
        ]
        return [claim.number for claim in claims]

    claim_start(
        member=member,
        credit=make_credit(member, make_work(title="Film 0", year=2000)),
        training_set=training_set,
        entries=[],
    )
    assert_page_queries_constant(member_client, reverse("claims:claim_list"), add_claims)
