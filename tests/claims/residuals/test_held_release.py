"""Money held for a disputed work is paid out once the dispute is settled, with corrected statements."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from claims.enums import AllocationStatus, ClaimStatus, StatementStatus
from claims.models import AllocationLine, ClaimEvent, Statement
from claims.pdf import render_statement_pdf
from claims.selectors.residuals.held import held_works
from claims.selectors.residuals.statement_data import statement_data_for
from claims.services.claims.transitions import Actor, claim_transition
from claims.services.residuals.held_release import ReleaseRefused, held_release
from claims.services.residuals.pools import pool_create, pool_issue
from claims.statement_data import lines_csv
from tests.claims.residuals.pool_builders import pool_details
from tests.claims.residuals.test_statement_pdf import _flat, _text
from tests.factories import make_claim, make_member, make_training_set

# Statement renders queued after commit run here (the real-worker runs are in test_statement_run_kill.py).
pytestmark = pytest.mark.usefixtures("celery_eager")


def decide(claim, to, decider):
    return claim_transition(
        claim=claim,
        to=to,
        actor=Actor(user=decider),
        **({"reason": "not_in_credits"} if to == ClaimStatus.REJECTED else {}),
    )


def issued_pool(training_set, verifier, *, gross: Decimal, fee: Decimal):
    details = pool_details(
        [training_set], gross_amount=gross, admin_fee_percent=fee, payment_threshold=Decimal("10.00")
    )
    return pool_issue(pool=pool_create(data=details, created_by=verifier), issued_by=verifier)


@pytest.fixture
def issued(db, decider, verifier, django_capture_on_commit_callbacks):
    """Iron Gate is disputed between two performers (Eve, Hal) and has a verified writer (Ian);
    Night Harbor is Ana's, undisputed. Net pool 900.00: 450.00 per work, Iron Gate's held."""
    training_set = make_training_set(name="OpenSubs 2024")
    people = {
        key: make_member(email=f"{key}@example.org", legal_name=name)
        for key, name in [("ana", "Ana Alves"), ("eve", "Eve Eads"), ("hal", "Hal Hart"), ("ian", "Ian Ives")]
    }
    claims = {
        "ana": make_claim(people["ana"], title="Night Harbor", training_set=training_set),
        "eve": make_claim(people["eve"], title="Iron Gate", training_set=training_set),
        "hal": make_claim(people["hal"], title="Iron Gate", training_set=training_set),
        "ian": make_claim(people["ian"], title="Iron Gate", job="written_by", training_set=training_set),
    }
    for key in ("ana", "ian"):
        claims[key] = decide(decide(claims[key], ClaimStatus.IN_REVIEW, decider), ClaimStatus.VERIFIED, decider)
    for key in ("eve", "hal"):
        claims[key] = claim_transition(claim=claims[key], to=ClaimStatus.DISPUTED, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        pool = issued_pool(training_set, verifier, gross=Decimal("1000.00"), fee=Decimal("10"))
    return pool, people, claims


def lines_of(pool) -> dict[str, tuple[Decimal, str]]:
    return {
        line.member.user.email.split("@")[0]: (line.amount, line.status)
        for line in AllocationLine.objects.filter(pool=pool).select_related("member__user")
    }


def test_issued_pool_holds_the_disputed_work_whole(issued):
    pool, _, _ = issued
    assert lines_of(pool) == {
        "ana": (Decimal("450.00"), AllocationStatus.PAYABLE),
        # Performers 40 / writers 40: 225.00 to the performers (two of them), 225.00 to Ian, all held.
        "eve": (Decimal("112.50"), AllocationStatus.HELD),
        "hal": (Decimal("112.50"), AllocationStatus.HELD),
        "ian": (Decimal("225.00"), AllocationStatus.HELD),
    }
    [held] = held_works(pool=pool)
    assert (held.work_title, held.amount, held.settled) == ("Iron Gate", Decimal("450.00"), False)


def test_release_is_refused_while_the_dispute_is_open(issued, decider):
    pool, _, claims = issued
    decide(claims["eve"], ClaimStatus.VERIFIED, decider)  # Hal's claim is still disputed
    [held] = held_works(pool=pool)
    with pytest.raises(ReleaseRefused, match=claims["hal"].number):
        held_release(pool=pool, training_set_id=held.training_set_id, work_id=held.work_id, by=decider)
    assert lines_of(pool)["eve"] == (Decimal("112.50"), AllocationStatus.HELD)


def test_release_pays_the_verified_claims_by_the_pools_rule_and_corrects_their_statements(
    issued, decider, django_capture_on_commit_callbacks
):
    pool, people, claims = issued
    decide(claims["eve"], ClaimStatus.VERIFIED, decider)
    decide(claims["hal"], ClaimStatus.REJECTED, decider)
    [held] = held_works(pool=pool)
    before = {
        member: Statement.objects.get(member=people[member], status=StatementStatus.DONE)
        for member in ("eve", "hal", "ian")
    }

    with django_capture_on_commit_callbacks(execute=True):
        corrected = held_release(pool=pool, training_set_id=held.training_set_id, work_id=held.work_id, by=decider)

    # Eve is now the only performer: 225.00; Ian keeps the writers' 225.00; Hal's claim was rejected.
    assert lines_of(pool) == {
        "ana": (Decimal("450.00"), AllocationStatus.PAYABLE),
        "eve": (Decimal("225.00"), AllocationStatus.PAYABLE),
        "hal": (Decimal("0.00"), AllocationStatus.PAYABLE),
        "ian": (Decimal("225.00"), AllocationStatus.PAYABLE),
    }
    assert sum(amount for amount, _ in lines_of(pool).values()) == Decimal("900.00")  # still the net pool
    assert held_works(pool=pool) == []
    assert sorted(statement.member.user.email for statement in corrected) == [
        "eve@example.org",
        "hal@example.org",
        "ian@example.org",
    ]
    for member, old in before.items():
        old.refresh_from_db()
        new = Statement.objects.get(member=people[member], version=2)
        assert old.status == StatementStatus.SUPERSEDED and new.status == StatementStatus.DONE
    eve = statement_data_for(Statement.objects.get(member=people["eve"], version=2))
    assert (eve.held_total, eve.total_payable) == (Decimal("0.00"), Decimal("225.00"))
    text = _flat(" ".join(_text(render_statement_pdf(eve))[1]))
    assert "Iron Gate (2019)" in text and "Total payable USD 225.00" in text and "Held 225.00" not in text
    assert "held while disputed, released" in lines_csv(eve).decode()  # the basis, in the attached CSV
    event = ClaimEvent.objects.filter(claim=claims["hal"]).last()
    assert "not verified, so it has no share" in event.message and event.actor_is_staff


def test_release_twice_changes_nothing_the_second_time(issued, decider):
    pool, _, claims = issued
    decide(claims["eve"], ClaimStatus.VERIFIED, decider)
    decide(claims["hal"], ClaimStatus.VERIFIED, decider)
    [held] = held_works(pool=pool)
    held_release(pool=pool, training_set_id=held.training_set_id, work_id=held.work_id, by=decider)
    after = lines_of(pool)
    with pytest.raises(ReleaseRefused, match="released already"):
        held_release(pool=pool, training_set_id=held.training_set_id, work_id=held.work_id, by=decider)
    assert lines_of(pool) == after and after["eve"] == after["hal"] == (Decimal("112.50"), AllocationStatus.PAYABLE)


def test_release_is_refused_when_no_claim_was_verified(db, decider, verifier, django_capture_on_commit_callbacks):
    training_set = make_training_set(name="Books 1")
    eve, hal = make_member(email="eve@example.org"), make_member(email="hal@example.org")
    ana = make_member(email="ana@example.org")
    decide(
        decide(make_claim(ana, title="Night Harbor", training_set=training_set), ClaimStatus.IN_REVIEW, decider),
        ClaimStatus.VERIFIED,
        decider,
    )
    disputed = [
        claim_transition(
            claim=make_claim(member, title="Iron Gate", training_set=training_set), to=ClaimStatus.DISPUTED, actor=None
        )
        for member in (eve, hal)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        pool = issued_pool(training_set, verifier, gross=Decimal("100.00"), fee=Decimal("0"))
    for claim in disputed:
        decide(claim, ClaimStatus.REJECTED, decider)
    [held] = held_works(pool=pool)
    assert held.settled and not held.verified
    with pytest.raises(ReleaseRefused, match="nobody to pay"):
        held_release(pool=pool, training_set_id=held.training_set_id, work_id=held.work_id, by=decider)


def test_staff_release_from_the_pool_page_and_members_get_403(issued, decider, verifier_client, member):
    pool, _, claims = issued
    [held] = held_works(pool=pool)
    url = reverse("claims:pool_release_held", args=[pool.pk, held.training_set_id, held.work_id])
    page = verifier_client.get(reverse("claims:pool_detail", args=[pool.pk])).content.decode()
    assert "Money held for disputed works" in page and "Waiting for the dispute to be settled." in page

    decide(claims["eve"], ClaimStatus.VERIFIED, decider)
    decide(claims["hal"], ClaimStatus.REJECTED, decider)
    page = verifier_client.get(reverse("claims:pool_detail", args=[pool.pk])).content.decode()
    assert f'action="{url}"' in page and "Release USD 450.00" in page

    member_client = Client()
    member_client.force_login(member.user)
    assert member_client.post(url).status_code == 403
    assert verifier_client.get(url).status_code == 405  # a change of money is a POST only
    response = verifier_client.post(url, follow=True)
    assert "Held money released. 3 corrected statements are being produced." in response.content.decode()
    assert lines_of(pool)["eve"] == (Decimal("225.00"), AllocationStatus.PAYABLE)
