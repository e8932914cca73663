"""Verifier pages: the queue and its filters, reviewing and deciding a claim, bulk verify,
the dashboard, the CSV export, evidence downloads, and who may see and do what."""

import csv
import io
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.enums import ClaimStatus, MatchMethod
from claims.models import Claim, ClaimEvent, Match, VerifierAssignment
from claims.selectors.claims.verification import actions_from
from claims.services.claims.evidence import evidence_add
from claims.services.claims.filing import claim_start, claim_submit
from claims.services.claims.transitions import Actor, ClaimChanged, claim_transition
from claims.services.claims.verification import claim_act
from claims.services.discovery.matching import credits_match
from members.models import Credit, Union
from tests.factories import (
    load_manifest,
    make_credit,
    make_member,
    make_staff,
    make_training_set,
    make_union_membership,
    make_work,
)

S = ClaimStatus
# Each title once in the listing; the even ones carry an IMDb id, so a credit with the same id
# matches "by identifier" with a score of 100, the odd ones by exact title and year (below 100).
TITLES = [
    "Amberfield",
    "Birchwood",
    "Cedarline",
    "Deltaport",
    "Emberglow",
    "Falconcrest",
    "Garnetvale",
    "Harborlight",
    "Indigomoor",
    "Juniperhill",
    "Kestrelbay",
    "Lanternway",
    "Meadowsweet",
    "Nectarine",
    "Orchidpath",
    "Pebblebrook",
    "Quarrystone",
    "Ravenwood",
    "Saffronsky",
    "Thistledown",
]


def _year(title: str) -> int:
    return 2000 + TITLES.index(title)


def _imdb(title: str) -> str:
    index = TITLES.index(title)
    return f"tt{1000000 + index}" if index % 2 == 0 else ""


LISTING = "title,year,imdb\n" + "".join(f"{title},{_year(title)},{_imdb(title)}\n" for title in TITLES)


@pytest.fixture
def training_set(db):
    training_set = make_training_set(name="OpenSubs 2024")
    load_manifest(training_set, LISTING)
    training_set.refresh_from_db()
    return training_set


@pytest.fixture
def iatse_verifier(verifier):
    VerifierAssignment.objects.create(verifier=verifier, union=Union.objects.get(short_name="IATSE"))
    return verifier


@pytest.fixture
def camera_member(db):
    member = make_member(email="dp@example.org", legal_name="Dana Park", professional_names=["Dana Park"])
    make_union_membership(member, "IATSE Local 600", number="600-1")
    return member


@pytest.fixture
def writer_member(db):
    member = make_member(email="writer@example.org", legal_name="Wes Ward")
    make_union_membership(member, "WGA West", number="W-1")
    return member


def file_claim(
    member,
    title: str,
    training_set,
    *,
    job: str = "camera_operator",
    share=None,
    submitted_days_ago: float | None = None,
) -> Claim:
    """A submitted claim made the way a member makes one: credit, match, start, submit."""
    identifiers = {"imdb_id": _imdb(title)} if _imdb(title) else {}
    work = make_work(title=title, year=_year(title), **identifiers)
    credit = Credit.objects.filter(member=member, work=work, job=job).first() or make_credit(member, work, job=job)
    credits_match(credit_ids=[credit.pk], notify=False)
    match = Match.objects.get(credit=credit, training_set=training_set)
    claim = claim_start(member=member, credit=credit, training_set=training_set, entries=[match.entry])
    claim = claim_submit(claim=claim, actor=Actor(user=member.user), declared_share=share)
    if submitted_days_ago is not None:
        submitted_at = timezone.now() - timedelta(days=submitted_days_ago)
        Claim.objects.filter(pk=claim.pk).update(submitted_at=submitted_at)
        claim.submitted_at = submitted_at
    return claim


def take(claim: Claim, verifier) -> Claim:
    return claim_transition(claim=claim, to=S.IN_REVIEW, actor=Actor(user=verifier, ip_address="10.0.0.1"))


def queue_numbers(client, **params) -> list[str]:
    response = client.get(reverse("claims:verify_queue"), params)
    assert response.status_code == 200
    return [claim.number for claim in response.context["page"].object_list]


def act(client, claim: Claim, action: str, **data):
    data = {"action": action, "seen_status": claim.status, **data}
    return client.post(reverse("claims:verify_act", args=[claim.pk]), data, follow=True, REMOTE_ADDR="192.0.2.7")


def page_text(response) -> str:
    return response.content.decode()


# Who sees which claims


def test_queue_shows_only_claims_of_the_verifiers_unions(
    verifier_client, iatse_verifier, training_set, camera_member, writer_member
):
    local_600 = file_claim(camera_member, "Amberfield", training_set)
    wga = file_claim(writer_member, "Birchwood", training_set, job="written_by")
    content = page_text(verifier_client.get(reverse("claims:verify_queue")))
    assert local_600.number in content and "Dana Park" in content
    assert wga.number not in content and "Wes Ward" not in content
    assert verifier_client.get(reverse("claims:verify_claim", args=[wga.pk])).status_code == 404


def test_verifier_with_no_union_sees_no_claims(verifier_client, verifier, training_set, camera_member):
    file_claim(camera_member, "Amberfield", training_set)
    assert queue_numbers(verifier_client) == []


def test_superuser_sees_every_union(client, training_set, camera_member, writer_member):
    boss = make_staff(email="boss@union.example", is_superuser=True)
    client.force_login(boss)
    local_600 = file_claim(camera_member, "Amberfield", training_set)
    wga = file_claim(writer_member, "Birchwood", training_set, job="written_by")
    assert queue_numbers(client) == [local_600.number, wga.number]


def test_drafts_are_not_in_the_queue(verifier_client, iatse_verifier, training_set, camera_member):
    credit = make_credit(camera_member, make_work(title="Cedarline", year=_year("Cedarline")))
    credits_match(credit_ids=[credit.pk], notify=False)
    match = Match.objects.get(credit=credit)
    claim_start(member=camera_member, credit=credit, training_set=training_set, entries=[match.entry])
    assert queue_numbers(verifier_client, status="any") == []


# Filters, sorting, pagination


@pytest.fixture
def queue(iatse_verifier, training_set, camera_member):
    """Three claims in IATSE locals: a Local 600 one by identifier, old; a Local 700 one by
    title, recent, with evidence; a Local 600 one in review, middling age."""
    editor = make_member(email="editor@example.org", legal_name="Eli Edwards")
    make_union_membership(editor, "IATSE Local 700")
    old_identifier = file_claim(camera_member, "Amberfield", training_set, submitted_days_ago=40)
    recent_title = file_claim(editor, "Birchwood", training_set, job="picture_editor", submitted_days_ago=1)
    evidence_add(
        claim=recent_title,
        upload=SimpleUploadedFile("memo.txt", b"Deal memo"),
        kind="contract",
        uploaded_by=editor.user,
    )
    in_review = file_claim(camera_member, "Cedarline", training_set, submitted_days_ago=10)
    take(in_review, iatse_verifier)
    return {"old_identifier": old_identifier, "recent_title": recent_title, "in_review": in_review}


def test_queue_is_oldest_first_by_default(verifier_client, queue):
    assert queue_numbers(verifier_client) == [
        queue["old_identifier"].number,
        queue["in_review"].number,
        queue["recent_title"].number,
    ]
    assert "oldest first" in page_text(verifier_client.get(reverse("claims:verify_queue")))


def test_queue_sorted_by_strongest_match_then_age(verifier_client, queue, training_set, camera_member):
    another_identifier = file_claim(camera_member, "Emberglow", training_set, submitted_days_ago=5)
    numbers = queue_numbers(verifier_client, sort="strongest")
    # Identifier matches (100) first, the oldest of them first; then the title match.
    assert numbers == [
        queue["old_identifier"].number,
        queue["in_review"].number,
        another_identifier.number,
        queue["recent_title"].number,
    ]
    content = page_text(verifier_client.get(reverse("claims:verify_queue"), {"sort": "strongest"}))
    assert "strongest match first" in content


def test_queue_filters_by_union_and_local(verifier_client, queue):
    local_600 = Union.objects.get(short_name="IATSE Local 600")
    iatse = Union.objects.get(short_name="IATSE")
    assert queue_numbers(verifier_client, union=local_600.pk) == [
        queue["old_identifier"].number,
        queue["in_review"].number,
    ]
    assert len(queue_numbers(verifier_client, union=iatse.pk)) == 3  # the union covers its locals


def test_queue_cannot_filter_by_a_union_the_verifier_does_not_verify(verifier_client, queue):
    wga = Union.objects.get(short_name="WGA West")
    response = verifier_client.get(reverse("claims:verify_queue"), {"union": wga.pk})
    assert str(wga.pk) not in [str(value) for value, _ in response.context["form"].fields["union"].choices]
    assert len(response.context["page"].object_list) == 3  # the bad value is ignored, not obeyed


def test_queue_filters_by_training_set(verifier_client, queue, camera_member):
    other_set = make_training_set(name="Books3")
    load_manifest(other_set, "title,year\nDeltaport,2003\n")
    other_set.refresh_from_db()
    other = file_claim(camera_member, "Deltaport", other_set)
    assert queue_numbers(verifier_client, training_set=other_set.pk) == [other.number]


def test_queue_filters_by_state(verifier_client, queue):
    assert queue_numbers(verifier_client, status="in_review") == [queue["in_review"].number]
    assert queue_numbers(verifier_client, status="verified") == []


def test_queue_filters_by_age(verifier_client, queue):
    assert queue_numbers(verifier_client, min_age_days=7) == [queue["old_identifier"].number, queue["in_review"].number]
    assert queue_numbers(verifier_client, min_age_days=30) == [queue["old_identifier"].number]


def test_queue_filters_by_conflicts(verifier_client, iatse_verifier, training_set, camera_member):
    rival = make_member(email="rival@example.org", legal_name="Rita Rival")
    make_union_membership(rival, "IATSE Local 600")
    mine = file_claim(camera_member, "Garnetvale", training_set, job="director_of_photography")
    theirs = file_claim(rival, "Garnetvale", training_set, job="director_of_photography")
    calm = file_claim(camera_member, "Amberfield", training_set)
    assert set(queue_numbers(verifier_client, conflicts="yes")) == {mine.number, theirs.number}
    assert queue_numbers(verifier_client, conflicts="no") == [calm.number]
    assert "Conflict" in page_text(verifier_client.get(reverse("claims:verify_queue"), {"conflicts": "yes"}))


def test_queue_filters_by_evidence(verifier_client, queue):
    assert queue_numbers(verifier_client, evidence="yes") == [queue["recent_title"].number]
    assert queue["recent_title"].number not in queue_numbers(verifier_client, evidence="no")


def test_queue_filters_by_match_method_and_score(verifier_client, queue):
    identifiers = [queue["old_identifier"].number, queue["in_review"].number]
    assert queue_numbers(verifier_client, method=MatchMethod.IDENTIFIER) == identifiers
    assert queue_numbers(verifier_client, method=MatchMethod.EXACT) == [queue["recent_title"].number]
    assert queue_numbers(verifier_client, min_score=100) == identifiers
    assert queue["recent_title"].best_score < 100
    assert queue["recent_title"].number in queue_numbers(verifier_client, min_score=queue["recent_title"].best_score)


def test_queue_filters_by_who_it_is_assigned_to(verifier_client, queue):
    assert queue_numbers(verifier_client, assigned="me") == [queue["in_review"].number]
    assert queue["in_review"].number not in queue_numbers(verifier_client, assigned="nobody")


def test_queue_paginates_and_keeps_the_filters(verifier_client, iatse_verifier, training_set, camera_member):
    second = make_member(email="second-dp@example.org", legal_name="Sam Second")
    make_union_membership(second, "IATSE Local 600")
    for number, title in enumerate(TITLES[:14]):
        file_claim(camera_member, title, training_set, submitted_days_ago=100 - number)
        file_claim(second, title, training_set, submitted_days_ago=50 - number)
    Claim.objects.update(best_method=MatchMethod.EXACT)  # all on one filter, to see it kept on page 2
    first = verifier_client.get(reverse("claims:verify_queue"), {"method": "exact"})
    assert first.context["page"].paginator.count == 28 and len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in page_text(first) and "method=exact&amp;page=2" in page_text(first)
    second_page = verifier_client.get(reverse("claims:verify_queue"), {"method": "exact", "page": 2})
    numbers = [claim.number for claim in second_page.context["page"].object_list]
    assert len(numbers) == 3 and "method=exact&amp;page=1" in page_text(second_page)
    newest = Claim.objects.order_by("-submitted_at")[:3]
    assert numbers == [claim.number for claim in reversed(newest)]


def test_queue_query_count_does_not_grow_with_claims(verifier_client, iatse_verifier, training_set, camera_member):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            verifier_client.get(reverse("claims:verify_queue"))
        return len(queries)

    file_claim(camera_member, "Amberfield", training_set)
    few = count()
    for title in TITLES[1:8]:
        member = make_member(legal_name=f"Member {title}", professional_names=[f"Name {title}"])
        make_union_membership(member, "IATSE Local 600")
        claim = file_claim(member, title, training_set)
        evidence_add(claim=claim, upload=SimpleUploadedFile("a.txt", b"proof"), kind="other", uploaded_by=member.user)
    assert count() == few


# The review page


def test_review_page_shows_member_credit_entries_evidence_and_others(
    verifier_client, iatse_verifier, training_set, camera_member
):
    rival = make_member(email="rival@example.org", legal_name="Rita Rival")
    make_union_membership(rival, "IATSE Local 600")
    outsider = make_member(email="outsider@example.org", legal_name="Otto Outside")
    make_union_membership(outsider, "SAG-AFTRA")
    claim = file_claim(camera_member, "Amberfield", training_set, job="director_of_photography", share=Decimal("100"))
    rival_claim = file_claim(rival, "Amberfield", training_set, job="director_of_photography")
    file_claim(outsider, "Amberfield", training_set, job="principal")
    own_other = file_claim(camera_member, "Amberfield", make_set_with("Amberfield"), job="director_of_photography")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    image = evidence_add(
        claim=claim, upload=SimpleUploadedFile("credit.png", png), kind="screen_credit", uploaded_by=camera_member.user
    )
    pdf = evidence_add(
        claim=claim,
        upload=SimpleUploadedFile("memo.pdf", b"%PDF-1.4 memo"),
        kind="contract",
        uploaded_by=camera_member.user,
    )
    evidence_add(
        claim=claim,
        upload=SimpleUploadedFile("note.txt", "Call sheet: <b>Dana</b> DP".encode()),
        kind="call_sheet",
        uploaded_by=camera_member.user,
    )
    response = verifier_client.get(reverse("claims:verify_claim", args=[claim.pk]))
    content = page_text(response)
    assert (
        "Dana Park" in content and "dp@example.org" in content and "IATSE Local 600" in content and "#600-1" in content
    )
    assert "Director of photography" in content and "100.00%" in content
    entry_match = Match.objects.get(credit=claim.credit, training_set=training_set)
    assert entry_match.reason in content and "Same identifier" in content
    image_url = reverse("claims:staff_evidence_download", args=[claim.pk, image.pk])
    pdf_url = reverse("claims:staff_evidence_download", args=[claim.pk, pdf.pk])
    assert f'<img src="{image_url}"' in content
    assert f'<a href="{pdf_url}">Open the PDF' in content
    assert "Call sheet: &lt;b&gt;Dana&lt;/b&gt; DP" in content and "<b>Dana</b>" not in content
    assert own_other.number in content
    rivals = {rival.claim.number: rival for rival in response.context["review"].others_on_work}
    assert rivals[rival_claim.number].conflict and rivals[rival_claim.number].visible
    assert "Rita Rival" in content and 'class="conflict"' in content and "Conflict: same one-person job" in content
    outsider_row = [rival for rival in rivals.values() if not rival.visible]
    assert len(outsider_row) == 1 and not outsider_row[0].conflict
    assert "Otto Outside" not in content and "a member outside your unions" in content


def make_set_with(title: str):
    training_set = make_training_set(name=f"Set with {title}")
    load_manifest(training_set, f"title,year,imdb\n{title},{_year(title)},{_imdb(title)}\n")
    training_set.refresh_from_db()
    return training_set


def test_review_page_offers_only_the_actions_the_state_allows(
    verifier_client, iatse_verifier, training_set, camera_member
):
    claim = file_claim(camera_member, "Amberfield", training_set)
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    assert 'value="take"' in content and 'value="dispute"' in content
    assert 'value="verify"' not in content and 'value="reject"' not in content and 'value="reopen"' not in content
    take(claim, iatse_verifier)
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    for offered in ['value="verify"', 'value="reject"', 'value="needs_info"', 'value="dispute"']:
        assert offered in content
    assert 'value="take"' not in content and 'value="reopen"' not in content


def test_actions_offered_match_the_transition_table():
    assert actions_from(S.SUBMITTED) == ["take", "dispute"]
    assert actions_from(S.IN_REVIEW) == ["verify", "reject", "needs_info", "dispute"]
    assert actions_from(S.DISPUTED) == ["verify", "reject"]
    assert actions_from(S.VERIFIED) == ["dispute", "reopen"]
    assert actions_from(S.REJECTED) == ["reopen"]
    assert actions_from(S.NEEDS_INFO) == ["dispute"]
    assert actions_from(S.WITHDRAWN) == []


# Actions from the review page


def test_take_assigns_the_claim_to_me_and_records_my_ip(verifier_client, iatse_verifier, training_set, camera_member):
    claim = file_claim(camera_member, "Amberfield", training_set)
    content = page_text(act(verifier_client, claim, "take"))
    assert f"You took {claim.number}" in content and "assigned to verifier@union.example" in content
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW and claim.assigned_to == iatse_verifier
    event = claim.events.last()
    assert (event.actor, event.from_status, event.to_status, event.ip_address) == (
        iatse_verifier,
        S.SUBMITTED,
        S.IN_REVIEW,
        "192.0.2.7",
    )
    assert "192.0.2.7" in content  # the trail shows staff the IP


def test_verify_from_in_review(verifier_client, iatse_verifier, training_set, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", training_set), iatse_verifier)
    content = page_text(act(verifier_client, claim, "verify", message="Checked the credits."))
    assert f"{claim.number} is verified" in content and "Checked the credits." in content
    claim.refresh_from_db()
    assert claim.status == S.VERIFIED and claim.decided_at is not None


def test_reject_with_a_reason_and_explanation(verifier_client, iatse_verifier, training_set, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", training_set), iatse_verifier)
    content = page_text(act(verifier_client, claim, "reject", reason="wrong_work", message="A different film."))
    claim.refresh_from_db()
    assert claim.status == S.REJECTED and claim.reject_reason == "wrong_work"
    assert "The manifest entry is a different work" in content and "A different film." in content


def test_ask_for_information_sends_the_message(verifier_client, iatse_verifier, training_set, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", training_set), iatse_verifier)
    act(verifier_client, claim, "needs_info", message="Please send the call sheet.")
    claim.refresh_from_db()
    assert claim.status == S.NEEDS_INFO
    assert claim.events.last().message == "Please send the call sheet."


def test_mark_disputed_then_resolve_with_a_decision(verifier_client, iatse_verifier, training_set, camera_member):
    claim = file_claim(camera_member, "Amberfield", training_set)
    act(verifier_client, claim, "dispute", message="Two DPs claimed.")
    claim.refresh_from_db()
    assert claim.status == S.DISPUTED
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    assert 'value="verify"' in content and 'value="reject"' in content and 'value="take"' not in content
    act(verifier_client, claim, "reject", reason="wrong_role", message="")
    claim.refresh_from_db()
    assert claim.status == S.REJECTED
    assert [event.to_status for event in claim.events.all()] == [S.SUBMITTED, S.DISPUTED, S.REJECTED]


def test_reopen_a_verified_claim(verifier_client, iatse_verifier, training_set, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", training_set), iatse_verifier)
    claim_act(claim=claim, action="verify", actor=Actor(user=iatse_verifier))
    content = page_text(act(verifier_client, claim, "reopen", message="New evidence."))
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW and f"{claim.number} is reopened" in content


def test_reject_without_a_reason_is_refused(verifier_client, iatse_verifier, training_set, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", training_set), iatse_verifier)
    content = page_text(act(verifier_client, claim, "reject", reason=""))
    assert "Choose a reason for the rejection." in content
    content = page_text(act(verifier_client, claim, "reject", reason="other", message=" "))
    assert "Explain the reason for the rejection." in content
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW


def test_verify_a_submitted_claim_without_taking_it_is_refused(
    verifier_client, iatse_verifier, training_set, camera_member
):
    claim = file_claim(camera_member, "Amberfield", training_set)
    content = page_text(act(verifier_client, claim, "verify"))
    assert "Take it first." in content
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED and claim.events.count() == 1


def test_acting_on_an_invisible_claim_is_404(verifier_client, iatse_verifier, training_set, writer_member):
    claim = file_claim(writer_member, "Birchwood", training_set, job="written_by")
    response = verifier_client.post(reverse("claims:verify_act", args=[claim.pk]), {"action": "take"})
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_verifier_cannot_decide_their_own_claim(verifier_client, iatse_verifier, training_set):
    own = iatse_verifier.profile
    make_union_membership(own, "IATSE Local 600")
    claim = file_claim(own, "Amberfield", training_set)
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    assert "This is your own claim. Another verifier must decide it." in content
    assert 'name="action"' not in content
    content = page_text(act(verifier_client, claim, "take"))
    assert "it is your own claim or on a work you claim" in content
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_verifier_cannot_decide_a_claim_on_a_work_they_claim(
    verifier_client, iatse_verifier, training_set, camera_member
):
    own = iatse_verifier.profile
    make_union_membership(own, "IATSE Local 600")
    file_claim(own, "Amberfield", training_set, job="first_ac")
    claim = file_claim(camera_member, "Amberfield", training_set)
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    assert "You claim this work yourself." in content and 'name="action"' not in content
    act(verifier_client, claim, "take")
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_two_verifiers_one_decision_the_second_sees_what_happened(client, iatse_verifier, training_set, camera_member):
    second = make_staff(email="second@union.example")
    VerifierAssignment.objects.create(verifier=second, union=Union.objects.get(short_name="IATSE"))
    claim = take(file_claim(camera_member, "Amberfield", training_set), iatse_verifier)
    stale = Claim.objects.get(pk=claim.pk)  # the second verifier's page, loaded before the decision
    claim_act(claim=claim, action="verify", actor=Actor(user=iatse_verifier))
    with pytest.raises(ClaimChanged, match="Someone else acted on this claim first: it is now “Verified”"):
        claim_act(claim=stale, action="reject", actor=Actor(user=second), reason="wrong_work")
    # Through the page: the form says what the verifier saw.
    client.force_login(second)
    response = client.post(
        reverse("claims:verify_act", args=[claim.pk]),
        {"action": "reject", "seen_status": S.IN_REVIEW, "reason": "wrong_work"},
        follow=True,
    )
    assert "Someone else acted on this claim first: it is now “Verified”" in page_text(response)
    claim.refresh_from_db()
    assert claim.status == S.VERIFIED
    assert claim.events.filter(to_status__in=[S.VERIFIED, S.REJECTED]).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real database connections")
def test_two_verifiers_at_the_same_moment_make_one_decision(transactional_db):
    member = make_member(email="race@example.org", legal_name="Ray Race")
    make_union_membership(member, "IATSE Local 600")
    training_set = make_training_set(name="Race set")
    load_manifest(training_set, LISTING)
    training_set.refresh_from_db()
    iatse = Union.objects.get(short_name="IATSE")
    verifiers = [make_staff(email=f"v{number}@union.example") for number in range(2)]
    for person in verifiers:
        VerifierAssignment.objects.create(verifier=person, union=iatse)
    claim = take(file_claim(member, "Amberfield", training_set), verifiers[0])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(person, action: str, reason: str) -> None:
        try:
            seen = Claim.objects.get(pk=claim.pk)
            barrier.wait()
            claim_act(claim=seen, action=action, actor=Actor(user=person), reason=reason)
            outcomes.append("decided")
        except ClaimChanged as changed:
            outcomes.append(str(changed))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(verifiers[0], "verify", "")),
        threading.Thread(target=decide, args=(verifiers[1], "reject", "wrong_work")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes.count("decided") == 1
    assert [outcome for outcome in outcomes if outcome != "decided"][0].startswith("Someone else acted")
    assert ClaimEvent.objects.filter(claim=claim, to_status__in=[S.VERIFIED, S.REJECTED]).count() == 1


# Bulk verify


def test_bulk_verify_preview_lists_exactly_the_exact_matches_i_may_decide(
    verifier_client, iatse_verifier, training_set, camera_member, writer_member
):
    submitted_identifier = file_claim(camera_member, "Amberfield", training_set)
    in_review_identifier = take(file_claim(camera_member, "Cedarline", training_set), iatse_verifier)
    by_title = file_claim(camera_member, "Birchwood", training_set)
    needs_info = take(file_claim(camera_member, "Emberglow", training_set), iatse_verifier)
    claim_act(claim=needs_info, action="needs_info", actor=Actor(user=iatse_verifier), message="More?")
    wga_identifier = file_claim(writer_member, "Garnetvale", training_set, job="written_by")
    own = iatse_verifier.profile
    make_union_membership(own, "IATSE Local 600")
    own_identifier = file_claim(own, "Indigomoor", training_set)
    content = page_text(verifier_client.get(reverse("claims:verify_bulk")))
    shown = {claim.number for claim in verifier_client.get(reverse("claims:verify_bulk")).context["claims"]}
    assert shown == {submitted_identifier.number, in_review_identifier.number}
    assert "2 claims will be verified" in content
    for left_out in [by_title, needs_info, wga_identifier, own_identifier]:
        assert left_out.number not in content


def test_bulk_verify_applies_one_verification_each(verifier_client, iatse_verifier, training_set, camera_member):
    submitted_identifier = file_claim(camera_member, "Amberfield", training_set)
    in_review_identifier = take(file_claim(camera_member, "Cedarline", training_set), iatse_verifier)
    by_title = file_claim(camera_member, "Birchwood", training_set)
    response = verifier_client.post(
        reverse("claims:verify_bulk"),
        {"claims": [submitted_identifier.pk, in_review_identifier.pk, by_title.pk]},
        follow=True,
        REMOTE_ADDR="192.0.2.9",
    )
    content = page_text(response)
    assert "2 claims verified." in content and f"{by_title.number} was not verified" in content
    for claim in [submitted_identifier, in_review_identifier]:
        claim.refresh_from_db()
        assert claim.status == S.VERIFIED
        verified = claim.events.filter(to_status=S.VERIFIED)
        assert verified.count() == 1 and verified.get().actor == iatse_verifier
        assert verified.get().ip_address == "192.0.2.9"
    by_title.refresh_from_db()
    assert by_title.status == S.SUBMITTED
    # A submitted claim is taken first, so the trail says who took it.
    assert [event.to_status for event in submitted_identifier.events.all()] == [S.SUBMITTED, S.IN_REVIEW, S.VERIFIED]


def test_bulk_verify_skips_a_claim_someone_decided_since_the_preview(
    verifier_client, iatse_verifier, training_set, camera_member
):
    claim = take(file_claim(camera_member, "Amberfield", training_set), iatse_verifier)
    claim_act(claim=claim, action="reject", actor=Actor(user=iatse_verifier), reason="duplicate")
    content = page_text(verifier_client.post(reverse("claims:verify_bulk"), {"claims": [claim.pk]}, follow=True))
    assert f"{claim.number} was not verified" in content
    claim.refresh_from_db()
    assert claim.status == S.REJECTED


# Dashboard


def test_dashboard_numbers(verifier_client, iatse_verifier, training_set, camera_member, writer_member):
    second = make_staff(email="second@union.example")
    VerifierAssignment.objects.create(verifier=second, union=Union.objects.get(short_name="IATSE"))
    editor = make_member(email="editor@example.org", legal_name="Eli Edwards")
    make_union_membership(editor, "IATSE Local 700")
    now = timezone.now()

    def decided(claim: Claim, who, action: str, *, submitted_days: float, decided_days: float) -> None:
        take(claim, who)
        claim_act(claim=claim, action=action, actor=Actor(user=who), reason="duplicate" if action == "reject" else "")
        Claim.objects.filter(pk=claim.pk).update(
            submitted_at=now - timedelta(days=submitted_days), decided_at=now - timedelta(days=decided_days)
        )

    decided(
        file_claim(camera_member, "Amberfield", training_set),
        iatse_verifier,
        "verify",
        submitted_days=12,
        decided_days=10,
    )  # 2 days
    decided(
        file_claim(camera_member, "Birchwood", training_set), iatse_verifier, "reject", submitted_days=9, decided_days=5
    )  # 4 days
    decided(
        file_claim(editor, "Cedarline", training_set, job="picture_editor"),
        second,
        "verify",
        submitted_days=20,
        decided_days=10,
    )  # 10 days
    decided(
        file_claim(editor, "Deltaport", training_set, job="picture_editor"),
        second,
        "verify",
        submitted_days=100,
        decided_days=40,
    )  # outside the 30 days
    oldest = file_claim(camera_member, "Emberglow", training_set, submitted_days_ago=6)
    take(file_claim(editor, "Falconcrest", training_set, job="picture_editor", submitted_days_ago=2), second)
    file_claim(camera_member, "Garnetvale", training_set, submitted_days_ago=1)
    file_claim(writer_member, "Harborlight", training_set, job="written_by", submitted_days_ago=300)  # not mine

    response = verifier_client.get(reverse("claims:verify_dashboard"))
    stats = response.context["stats"]
    content = page_text(response)
    assert stats.median_days_to_decision == pytest.approx(4, abs=0.01) and stats.decisions_counted == 3
    assert "4.0 days" in content
    assert stats.oldest_waiting == oldest and oldest.number in content
    rows = {row["union"]: row["counts"] for row in stats.open_by_union}
    assert rows == {"IATSE Local 600": [2, 0, 0, 0], "IATSE Local 700": [0, 1, 0, 0]}
    assert "WGA West" not in content
    per_verifier = {row["email"]: row for row in stats.per_verifier}
    assert per_verifier["verifier@union.example"] == {
        "email": "verifier@union.example",
        "in_review": 0,
        "verified": 1,
        "rejected": 1,
    }
    # The 40-day-old decision's event is recent here (dates were moved on the claim only), so count events:
    assert per_verifier["second@union.example"]["in_review"] == 1
    assert per_verifier["second@union.example"]["verified"] == 2


# CSV export


def test_export_is_filtered_like_the_screen_and_neutralises_formulas(
    verifier_client, iatse_verifier, training_set, camera_member, writer_member
):
    camera_member.legal_name = '=HYPERLINK("http://evil")'
    camera_member.save()
    identifier = file_claim(camera_member, "Amberfield", training_set)
    file_claim(camera_member, "Birchwood", training_set)
    file_claim(writer_member, "Cedarline", training_set, job="written_by")
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
    verifier_client, iatse_verifier, training_set, camera_member
):
    claim = file_claim(camera_member, "Amberfield", training_set)
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
    verifier_client, iatse_verifier, training_set, writer_member, camera_member
):
    wga = file_claim(writer_member, "Birchwood", training_set, job="written_by")
    evidence = evidence_add(
        claim=wga,
        upload=SimpleUploadedFile("memo.pdf", b"%PDF-1.4 memo"),
        kind="contract",
        uploaded_by=writer_member.user,
    )
    mine = file_claim(camera_member, "Amberfield", training_set)
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
