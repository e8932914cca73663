"""Filing claims: one claim per credit and set, shares up to 100%, conflicts become disputes."""

from decimal import Decimal

import pytest
from django.core import mail

from claims.enums import ClaimStatus as S
from claims.models import Claim
from claims.selectors.claims.rivals import others_on_work, share_remaining
from claims.services.claims.filing import claim_from_match, claim_start, claim_submit
from claims.services.claims.notifications import claim_notify
from claims.services.claims.transitions import Actor, ClaimActionRefused
from members.services.profiles import profile_set_professional_names
from tests.factories import load_manifest, make_claim, make_credit, make_member, make_training_set, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def writers(db):
    first = make_member(email="w1@example.org", legal_name="Ann Writer")
    profile_set_professional_names(profile=first, names=["Annie W."])
    second = make_member(email="w2@example.org", legal_name="Bo Writer")
    third = make_member(email="w3@example.org", legal_name="Cy Writer")
    return first, second, third


def test_claim_this_twice_is_one_draft_with_the_match_confirmed(member):
    from claims.models import Match

    make_credit(member, make_work(title="Night Harbor", year=2019))
    load_manifest(make_training_set(), "title,year\nNight Harbor,2019\n")
    match = Match.objects.get()
    first = claim_from_match(member=member, match=match)
    second = claim_from_match(member=member, match=match)
    assert first.pk == second.pk and Claim.objects.count() == 1
    assert first.status == S.DRAFT and list(first.entries.all()) == [match.entry]
    match.refresh_from_db()
    assert match.status == "confirmed"
    assert first.best_score == match.score


def test_a_member_cannot_claim_someone_elses_credit(member, other_member):
    credit = make_credit(other_member, make_work())
    training_set = make_training_set()
    with pytest.raises(ClaimActionRefused, match="your own credits"):
        claim_start(member=member, credit=credit, training_set=training_set, entries=[])


def test_co_writers_shares_may_reach_but_not_pass_100(writers):
    first, second, third = writers
    claim = make_claim(first, job="written_by", share=Decimal("50"))
    make_claim(second, job="written_by", share=Decimal("30"), training_set=claim.training_set)
    late = make_claim(third, job="written_by", training_set=claim.training_set, submit=False)
    assert share_remaining(late) == Decimal("20")
    names = {other.member.display_name for other in others_on_work(late)}
    assert names == {"Ann Writer", "Bo Writer"}
    with pytest.raises(ClaimActionRefused, match=r"already claimed 80%.*at most 20% remains"):
        claim_submit(claim=late, actor=Actor(third.user), declared_share=Decimal("25"))
    late.refresh_from_db()
    assert late.status == S.DRAFT and not late.events.exists()
    late = claim_submit(claim=late, actor=Actor(third.user), declared_share=Decimal("20"))
    assert late.status == S.SUBMITTED


def test_shares_of_other_kinds_do_not_count(writers, member):
    first, *_ = writers
    claim = make_claim(first, job="written_by", share=Decimal("100"))
    actor = make_claim(member, job="principal", share=Decimal("100"), training_set=claim.training_set)
    assert actor.status == S.SUBMITTED


def test_withdrawn_claims_free_their_share(writers):
    first, second, _ = writers
    claim = make_claim(first, job="written_by", share=Decimal("100"))
    from claims.services.claims.transitions import claim_transition

    claim_transition(claim=claim, to=S.WITHDRAWN, actor=Actor(first.user))
    other = make_claim(second, job="written_by", share=Decimal("100"), training_set=claim.training_set)
    assert other.status == S.SUBMITTED


def test_two_members_in_a_single_holder_job_are_both_disputed_and_told(db, django_capture_on_commit_callbacks):
    first = make_member(email="dp1@example.org", legal_name="Dee Pee")
    second = make_member(email="dp2@example.org", legal_name="Eve Pee")
    claim = make_claim(first, job="director_of_photography")
    rival = make_claim(second, job="director_of_photography", training_set=claim.training_set)
    claim.refresh_from_db()
    assert claim.status == S.DISPUTED and rival.status == S.DISPUTED
    event = claim.events.get(to_status=S.DISPUTED)
    assert event.actor is None and "director of photography" in event.message
    for disputed in (claim, rival):
        assert claim_notify(claim_id=disputed.pk, status=S.DISPUTED)
    assert {message.to[0] for message in mail.outbox} == {"dp1@example.org", "dp2@example.org"}
    assert "held back" in mail.outbox[0].body


def test_two_camera_operators_are_not_a_conflict(db):
    first, second = make_member(email="op1@example.org"), make_member(email="op2@example.org")
    claim = make_claim(first, job="camera_operator")
    rival = make_claim(second, job="camera_operator", training_set=claim.training_set)
    claim.refresh_from_db()
    assert claim.status == rival.status == S.SUBMITTED


def test_submitting_without_an_entry_is_refused(member):
    credit = make_credit(member, make_work())
    training_set = make_training_set()
    load_manifest(training_set, "title,year\nSomething Else,2000\n", match=False)
    claim = claim_start(member=member, credit=credit, training_set=training_set, entries=[])
    with pytest.raises(ClaimActionRefused, match="Choose the training-set entry"):
        claim_submit(claim=claim, actor=Actor(member.user), declared_share=None)
