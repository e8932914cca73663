"""The claim state machine: every allowed move, every forbidden one, who may make it, the record."""

import threading

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from claims.enums import ClaimStatus as S
from claims.models import Claim, ClaimEvent
from claims.rules import ALLOWED_TRANSITIONS, MEMBER
from claims.services.claims.transitions import (
    Actor,
    ClaimActionRefused,
    ClaimChanged,
    claim_transition,
)
from tests.factories import make_claim, make_member, make_union_membership, make_verifier

pytestmark = pytest.mark.django_db

ALL_STATES = list(S)


@pytest.fixture
def actor_member(member):
    make_union_membership(member, "SAG-AFTRA", "SAG-1")
    return member


def put_in(claim: Claim, status: str) -> Claim:
    """Set up a state directly (tests only): the service is what is under test."""
    Claim.objects.filter(pk=claim.pk).update(status=status)
    claim.refresh_from_db()
    return claim


@pytest.mark.parametrize("old, new", sorted(ALLOWED_TRANSITIONS))
def test_every_allowed_transition_by_the_right_person(actor_member, sag_verifier, old, new):
    claim = put_in(make_claim(actor_member, submit=False), old)
    who = actor_member.user if ALLOWED_TRANSITIONS[(old, new)] == MEMBER else sag_verifier
    claim_transition(
        claim=claim, to=new, actor=Actor(who, "203.0.113.9"), message="Please send a call sheet", reason="wrong_role"
    )
    claim.refresh_from_db()
    assert claim.status == new
    event = claim.events.get()
    assert (event.from_status, event.to_status, event.actor_id) == (old, new, who.pk)
    assert event.ip_address == ("203.0.113.9" if who == sag_verifier else None)


@pytest.mark.parametrize(
    "old, new", [(old, new) for old in ALL_STATES for new in ALL_STATES if (old, new) not in ALLOWED_TRANSITIONS]
)
def test_every_other_transition_is_refused_and_leaves_no_trace(actor_member, sag_verifier, old, new):
    claim = put_in(make_claim(actor_member, submit=False), old)
    for who in (actor_member.user, sag_verifier):
        with pytest.raises(ClaimActionRefused):
            claim_transition(claim=claim, to=new, actor=Actor(who), message="x", reason="other")
    claim.refresh_from_db()
    assert claim.status == old and not claim.events.exists()


@pytest.mark.parametrize("old, new", [key for key, who in ALLOWED_TRANSITIONS.items() if who == MEMBER])
def test_staff_cannot_make_the_members_moves(actor_member, sag_verifier, old, new):
    claim = put_in(make_claim(actor_member, submit=False), old)
    with pytest.raises(ClaimActionRefused, match="Only the member"):
        claim_transition(claim=claim, to=new, actor=Actor(sag_verifier), message="x")


@pytest.mark.parametrize("old, new", [key for key, who in ALLOWED_TRANSITIONS.items() if who != MEMBER])
def test_members_cannot_make_staff_moves_even_on_their_own_claim(actor_member, old, new):
    claim = put_in(make_claim(actor_member, submit=False), old)
    with pytest.raises(ClaimActionRefused):
        claim_transition(claim=claim, to=new, actor=Actor(actor_member.user), message="x", reason="other")


def test_verifier_of_another_union_cannot_decide(actor_member):
    wga = make_verifier(unions=["WGA West"])
    claim = put_in(make_claim(actor_member), S.SUBMITTED)
    with pytest.raises(ClaimActionRefused, match="outside your unions"):
        claim_transition(claim=claim, to=S.IN_REVIEW, actor=Actor(wga))


def test_iatse_verifier_covers_its_locals(db):
    camera = make_member(legal_name="Min Park")
    make_union_membership(camera, "IATSE Local 600")
    iatse = make_verifier(unions=["IATSE"])
    claim = make_claim(camera, job="camera_operator")
    claim_transition(claim=claim, to=S.IN_REVIEW, actor=Actor(iatse))
    assert claim.assigned_to == iatse


def test_a_verifier_never_decides_a_claim_on_a_work_they_claim(actor_member, sag_verifier):
    from members.services.profiles import profile_ensure

    own = profile_ensure(user=sag_verifier)
    make_union_membership(own, "SAG-AFTRA", "SAG-2")
    claim = make_claim(actor_member, title="Quiet Shore", year=2004)
    make_claim(own, title="Quiet Shore", year=2004, job="supporting", training_set=claim.training_set)
    with pytest.raises(ClaimActionRefused, match="your own claim or on a work you claim"):
        claim_transition(claim=claim, to=S.IN_REVIEW, actor=Actor(sag_verifier))


def test_reject_needs_a_reason_and_needs_info_a_message(actor_member, sag_verifier):
    claim = put_in(make_claim(actor_member), S.IN_REVIEW)
    with pytest.raises(ClaimActionRefused, match="reason"):
        claim_transition(claim=claim, to=S.REJECTED, actor=Actor(sag_verifier))
    with pytest.raises(ClaimActionRefused, match="information"):
        claim_transition(claim=claim, to=S.NEEDS_INFO, actor=Actor(sag_verifier), message="  ")


def test_a_stale_second_decision_is_refused_and_says_what_happened(actor_member, sag_verifier):
    other = make_verifier(email="second@union.example", unions=["SAG-AFTRA"])
    claim = put_in(make_claim(actor_member), S.IN_REVIEW)
    stale = Claim.objects.get(pk=claim.pk)
    claim_transition(claim=claim, to=S.VERIFIED, actor=Actor(sag_verifier))
    with pytest.raises(ClaimChanged, match="it is now “Verified”"):
        claim_transition(claim=stale, to=S.REJECTED, actor=Actor(other), reason="other")
    assert list(claim.events.values_list("to_status", flat=True)) == [S.SUBMITTED, S.VERIFIED]


def test_double_submit_is_one_submission(actor_member):
    claim = make_claim(actor_member, submit=False)
    stale = Claim.objects.get(pk=claim.pk)
    claim_transition(claim=claim, to=S.SUBMITTED, actor=Actor(actor_member.user))
    with pytest.raises(ClaimChanged):
        claim_transition(claim=stale, to=S.SUBMITTED, actor=Actor(actor_member.user))
    assert claim.events.count() == 1


def test_one_claim_per_credit_and_set(actor_member):
    claim = make_claim(actor_member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(member=actor_member, credit=claim.credit, training_set=claim.training_set)


def test_events_cannot_be_changed_or_deleted_through_the_application(actor_member):
    event = make_claim(actor_member).events.get()
    event.message = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_the_database_refuses_to_change_or_delete_events(actor_member):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    event = make_claim(actor_member).events.get()
    for statement in (
        "UPDATE claims_claimevent SET message = 'x' WHERE id = %s",
        "DELETE FROM claims_claimevent WHERE id = %s",
    ):
        with pytest.raises((InternalError, ProgrammingError), match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        ClaimEvent.objects.filter(pk=event.pk).update(message="x")
    assert ClaimEvent.objects.get(pk=event.pk).message == ""


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_at_the_same_moment_make_one_decision(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections")
    member = make_member(email="concurrent@example.org")
    make_union_membership(member, "SAG-AFTRA")
    first, second = (make_verifier(email=f"v{n}@union.example", unions=["SAG-AFTRA"]) for n in (1, 2))
    claim = put_in(make_claim(member), S.IN_REVIEW)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(verifier, to):
        try:
            stale = Claim.objects.get(pk=claim.pk)
            barrier.wait()
            claim_transition(claim=stale, to=to, actor=Actor(verifier), reason="other")
            outcomes.append("decided")
        except ClaimChanged:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(first, S.VERIFIED)),
        threading.Thread(target=decide, args=(second, S.REJECTED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["decided", "told"]
    claim.refresh_from_db()
    assert claim.status in {S.VERIFIED, S.REJECTED}
    assert claim.events.filter(to_status__in=[S.VERIFIED, S.REJECTED]).count() == 1
