"""What a verifier does (claims.services.claims.verification): each action from the review page,
who may not decide a claim, two verifiers deciding at once, and bulk verify."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from claims.enums import ClaimStatus
from claims.models import Claim, ClaimEvent
from claims.services.claims.transitions import Actor, ClaimChanged
from claims.services.claims.verification import claim_act
from tests.claims.claims.verification_builders import LISTING, act, file_claim, page_text, take
from tests.factories import (
    load_manifest,
    make_member,
    make_training_set,
    make_union_membership,
    make_verifier,
)

S = ClaimStatus


# Actions from the review page


def test_take_assigns_the_claim_to_me_and_records_my_ip(verifier_client, iatse_verifier, opensubs, camera_member):
    claim = file_claim(camera_member, "Amberfield", opensubs)
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


def test_verify_from_in_review(verifier_client, iatse_verifier, opensubs, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", opensubs), iatse_verifier)
    content = page_text(act(verifier_client, claim, "verify", message="Checked the credits."))
    assert f"{claim.number} is verified" in content and "Checked the credits." in content
    claim.refresh_from_db()
    assert claim.status == S.VERIFIED and claim.decided_at is not None


def test_reject_with_a_reason_and_explanation(verifier_client, iatse_verifier, opensubs, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", opensubs), iatse_verifier)
    content = page_text(act(verifier_client, claim, "reject", reason="wrong_work", message="A different film."))
    claim.refresh_from_db()
    assert claim.status == S.REJECTED and claim.reject_reason == "wrong_work"
    assert "The manifest entry is a different work" in content and "A different film." in content


def test_ask_for_information_sends_the_message(verifier_client, iatse_verifier, opensubs, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", opensubs), iatse_verifier)
    act(verifier_client, claim, "needs_info", message="Please send the call sheet.")
    claim.refresh_from_db()
    assert claim.status == S.NEEDS_INFO
    assert claim.events.last().message == "Please send the call sheet."


def test_mark_disputed_then_resolve_with_a_decision(verifier_client, iatse_verifier, opensubs, camera_member):
    claim = file_claim(camera_member, "Amberfield", opensubs)
    act(verifier_client, claim, "dispute", message="Two DPs claimed.")
    claim.refresh_from_db()
    assert claim.status == S.DISPUTED
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    assert 'value="verify"' in content and 'value="reject"' in content and 'value="take"' not in content
    act(verifier_client, claim, "reject", reason="wrong_role", message="")
    claim.refresh_from_db()
    assert claim.status == S.REJECTED
    assert [event.to_status for event in claim.events.all()] == [S.SUBMITTED, S.DISPUTED, S.REJECTED]


def test_reopen_a_verified_claim(verifier_client, iatse_verifier, opensubs, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", opensubs), iatse_verifier)
    claim_act(claim=claim, action="verify", actor=Actor(user=iatse_verifier))
    content = page_text(act(verifier_client, claim, "reopen", message="New evidence."))
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW and f"{claim.number} is reopened" in content


def test_reject_without_a_reason_is_refused(verifier_client, iatse_verifier, opensubs, camera_member):
    claim = take(file_claim(camera_member, "Amberfield", opensubs), iatse_verifier)
    content = page_text(act(verifier_client, claim, "reject", reason=""))
    assert "Choose a reason for the rejection." in content
    content = page_text(act(verifier_client, claim, "reject", reason="other", message=" "))
    assert "Explain the reason for the rejection." in content
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW


def test_verify_a_submitted_claim_without_taking_it_is_refused(
    verifier_client, iatse_verifier, opensubs, camera_member
):
    claim = file_claim(camera_member, "Amberfield", opensubs)
    content = page_text(act(verifier_client, claim, "verify"))
    assert "Take it first." in content
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED and claim.events.count() == 1


def test_action_on_an_invisible_claim_is_404(verifier_client, iatse_verifier, opensubs, writer_member):
    claim = file_claim(writer_member, "Birchwood", opensubs, job="written_by")
    response = verifier_client.post(reverse("claims:verify_act", args=[claim.pk]), {"action": "take"})
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_verifier_cannot_decide_their_own_claim(verifier_client, iatse_verifier, opensubs):
    own = iatse_verifier.profile
    make_union_membership(own, "IATSE Local 600")
    claim = file_claim(own, "Amberfield", opensubs)
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    assert "This is your own claim. Another verifier must decide it." in content
    assert 'name="action"' not in content
    content = page_text(act(verifier_client, claim, "take"))
    assert "it is your own claim or on a work you claim" in content
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_verifier_cannot_decide_a_claim_on_a_work_they_claim(verifier_client, iatse_verifier, opensubs, camera_member):
    own = iatse_verifier.profile
    make_union_membership(own, "IATSE Local 600")
    file_claim(own, "Amberfield", opensubs, job="first_ac")
    claim = file_claim(camera_member, "Amberfield", opensubs)
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    assert "You claim this work yourself." in content and 'name="action"' not in content
    act(verifier_client, claim, "take")
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_decision_from_a_stale_page_is_refused_and_says_what_happened(client, iatse_verifier, opensubs, camera_member):
    second = make_verifier(email="second@union.example", unions=("IATSE",))
    claim = take(file_claim(camera_member, "Amberfield", opensubs), iatse_verifier)
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
def test_decisions_by_two_verifiers_at_the_same_moment_make_one(transactional_db):
    member = make_member(email="race@example.org", legal_name="Ray Race")
    make_union_membership(member, "IATSE Local 600")
    training_set = make_training_set(name="Race set")
    load_manifest(training_set, LISTING)
    training_set.refresh_from_db()
    verifiers = [make_verifier(email=f"v{number}@union.example", unions=("IATSE",)) for number in range(2)]
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
    assert next(outcome for outcome in outcomes if outcome != "decided").startswith("Someone else acted")
    assert ClaimEvent.objects.filter(claim=claim, to_status__in=[S.VERIFIED, S.REJECTED]).count() == 1


# Bulk verify


def test_bulk_verify_preview_lists_exactly_the_exact_matches_i_may_decide(
    verifier_client, iatse_verifier, opensubs, camera_member, writer_member
):
    submitted_identifier = file_claim(camera_member, "Amberfield", opensubs)
    in_review_identifier = take(file_claim(camera_member, "Cedarline", opensubs), iatse_verifier)
    by_title = file_claim(camera_member, "Birchwood", opensubs)
    needs_info = take(file_claim(camera_member, "Emberglow", opensubs), iatse_verifier)
    claim_act(claim=needs_info, action="needs_info", actor=Actor(user=iatse_verifier), message="More?")
    wga_identifier = file_claim(writer_member, "Garnetvale", opensubs, job="written_by")
    own = iatse_verifier.profile
    make_union_membership(own, "IATSE Local 600")
    own_identifier = file_claim(own, "Indigomoor", opensubs)
    content = page_text(verifier_client.get(reverse("claims:verify_bulk")))
    shown = {claim.number for claim in verifier_client.get(reverse("claims:verify_bulk")).context["claims"]}
    assert shown == {submitted_identifier.number, in_review_identifier.number}
    assert "2 claims will be verified" in content
    for left_out in [by_title, needs_info, wga_identifier, own_identifier]:
        assert left_out.number not in content


def test_bulk_verify_applies_one_verification_each(verifier_client, iatse_verifier, opensubs, camera_member):
    submitted_identifier = file_claim(camera_member, "Amberfield", opensubs)
    in_review_identifier = take(file_claim(camera_member, "Cedarline", opensubs), iatse_verifier)
    by_title = file_claim(camera_member, "Birchwood", opensubs)
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
    verifier_client, iatse_verifier, opensubs, camera_member
):
    claim = take(file_claim(camera_member, "Amberfield", opensubs), iatse_verifier)
    claim_act(claim=claim, action="reject", actor=Actor(user=iatse_verifier), reason="duplicate")
    content = page_text(verifier_client.post(reverse("claims:verify_bulk"), {"claims": [claim.pk]}, follow=True))
    assert f"{claim.number} was not verified" in content
    claim.refresh_from_db()
    assert claim.status == S.REJECTED
