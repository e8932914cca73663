"""Residual pools with the database: recording one, its preview, the CSV of lines, issuing it
once, carried balances paid by a later pool, and who may see the pages.

`statement_run_start` belongs to the statement runs (claims.services.residuals.statement_runs); these tests
replace it at that boundary with a stand-in that records the run row, and check only that
issuing a pool starts one run, after commit.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from claims.enums import AllocationStatus, ClaimStatus, PoolStatus
from claims.models import AllocationLine, CarriedBalance, ResidualPool, StatementRun
from claims.selectors.residuals.pool_preview import pool_preview
from claims.services.claims.transitions import Actor, claim_transition
from claims.services.residuals.pools import (
    PoolActionRefused,
    PoolChanged,
    pool_create,
    pool_issue,
)
from tests.claims.residuals.pool_builders import pool_details
from tests.factories import make_claim, make_member, make_training_set

# Issuing starts the real statement run; its renders run in this process.
pytestmark = pytest.mark.usefixtures("celery_eager")


def runs_of(pool) -> list[int]:
    return list(StatementRun.objects.filter(pool=pool).values_list("pool_id", flat=True))


def verify(claim, decider):
    claim = claim_transition(claim=claim, to=ClaimStatus.IN_REVIEW, actor=Actor(user=decider))
    return claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=Actor(user=decider))


@pytest.fixture
def opensubs(db):
    return make_training_set(name="OpenSubs 2024")


@pytest.fixture
def people(db):
    return {
        key: make_member(email=f"{key}@example.org", legal_name=name)
        for key, name in [
            ("ana", "Ana Alves"),
            ("ben", "Ben Brook"),
            ("cy", "Cy Chen"),
            ("dee", "Dee Dunn"),
            ("eve", "Eve Eads"),
            ("fay", "Fay Fox"),
        ]
    }


@pytest.fixture
def claims(opensubs, people, decider):
    """Night Harbor: Ana performs, Ben and Cy wrote it 60 / 40. Blue Mesa: Dee was its editor.
    Iron Gate: Eve's claim is disputed. Red Canyon: Fay's claim is only submitted."""
    made = {
        "ana": verify(make_claim(people["ana"], title="Night Harbor", training_set=opensubs), decider),
        "ben": verify(
            make_claim(
                people["ben"], title="Night Harbor", job="written_by", training_set=opensubs, share=Decimal("60")
            ),
            decider,
        ),
        "cy": verify(
            make_claim(
                people["cy"], title="Night Harbor", job="written_by", training_set=opensubs, share=Decimal("40")
            ),
            decider,
        ),
        "dee": verify(
            make_claim(people["dee"], title="Blue Mesa", job="picture_editor", training_set=opensubs), decider
        ),
        "eve": claim_transition(
            claim=make_claim(people["eve"], title="Iron Gate", training_set=opensubs),
            to=ClaimStatus.DISPUTED,
            actor=None,
        ),
        "fay": make_claim(people["fay"], title="Red Canyon", training_set=opensubs),
    }
    return made


@pytest.fixture
def pool(opensubs, claims, verifier):
    return pool_create(data=pool_details([opensubs]), created_by=verifier)


def amounts(preview) -> dict[str, tuple[Decimal, str]]:
    return {line.member_email.split("@")[0]: (line.amount, line.status) for line in preview.lines}


# Services


def test_pool_create_stores_the_rule_and_weights(pool, opensubs):
    pool.refresh_from_db()
    assert pool.rule == "equal-works-v1" and pool.status == PoolStatus.DRAFT
    assert pool.category_weights == {"performer": "40", "writer": "40", "crew": "20"}
    assert list(pool.training_sets.all()) == [opensubs]


def test_pool_preview_shares_the_net_pool_by_the_default_rule(pool):
    preview = pool_preview(pool=pool)
    assert (preview.gross, preview.fee, preview.net) == (Decimal("1000.00"), Decimal("100.00"), Decimal("900.00"))
    # Three works with a verified or disputed claim: 300.00 each. Red Canyon's claim is only submitted.
    assert amounts(preview) == {
        "ana": (Decimal("150.00"), AllocationStatus.PAYABLE),  # performers' 40 of 80
        "ben": (Decimal("90.00"), AllocationStatus.PAYABLE),  # writers' 40 of 80, declared 60%
        "cy": (Decimal("60.00"), AllocationStatus.CARRIED),  # below the 75.00 threshold
        "dee": (Decimal("300.00"), AllocationStatus.PAYABLE),  # crew alone on the work
        "eve": (Decimal("300.00"), AllocationStatus.HELD),  # disputed
    }
    assert (preview.paid, preview.held, preview.carried) == (Decimal("540.00"), Decimal("300.00"), Decimal("60.00"))
    assert preview.paid + preview.held + preview.carried == preview.net
    assert (preview.members, preview.works) == (5, 3)
    assert preview.largest_payment.member_name == "Dee Dunn" and preview.largest_payment.total == Decimal("300.00")
    assert preview.smallest_payment.member_name == "Ben Brook" and preview.smallest_payment.total == Decimal("90.00")


def test_pool_issue_writes_lines_and_carried_balances_once(pool, verifier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pool_issue(pool=pool, issued_by=verifier)
    assert len(callbacks) >= 1 and runs_of(pool) == [pool.pk]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = pool_issue(pool=ResidualPool.objects.get(pk=pool.pk), issued_by=verifier)
    assert callbacks == [] and runs_of(pool) == [pool.pk]
    assert again.status == PoolStatus.ISSUED
    assert AllocationLine.objects.filter(pool=pool).count() == 5
    cy_line = AllocationLine.objects.get(pool=pool, member__user__email="cy@example.org")
    assert (cy_line.amount, cy_line.status, cy_line.work_share, cy_line.member_share) == (
        Decimal("60.00"),
        AllocationStatus.CARRIED,
        "1/3",
        "1/5",
    )
    assert cy_line.basis == (
        "1 of 3 works; writers' 50% (weight 40 of 80: no crew claimed this work); "
        "your declared 40%; carried forward: below the payment threshold"
    )
    assert [(b.member.user.email, b.amount, b.paid_in_pool) for b in CarriedBalance.objects.all()] == [
        ("cy@example.org", Decimal("60.00"), None)
    ]
    assert sum(line.amount for line in AllocationLine.objects.filter(pool=pool)) == Decimal("900.00")


def test_pool_issued_shows_the_stored_lines_not_todays_claims(pool, verifier, claims, decider):
    pool_issue(pool=pool, issued_by=verifier)
    claim_transition(claim=claims["fay"], to=ClaimStatus.IN_REVIEW, actor=Actor(user=decider))
    verify_after = claim_transition(claim=claims["fay"], to=ClaimStatus.VERIFIED, actor=Actor(user=decider))
    assert verify_after.status == ClaimStatus.VERIFIED
    preview = pool_preview(pool=ResidualPool.objects.get(pk=pool.pk))
    assert preview.is_issued and "fay" not in amounts(preview)
    assert (preview.paid, preview.held, preview.carried) == (Decimal("540.00"), Decimal("300.00"), Decimal("60.00"))
    assert preview.works == 3 and preview.members == 5


def later_pool(pool, verifier, people, decider, *, gross: Decimal) -> ResidualPool:
    """`pool` issued (Cy carries 60.00 out of it), then a later pool in which Cy alone has a verified claim."""
    pool_issue(pool=pool, issued_by=verifier)
    later_set = make_training_set(name="Books Later")
    verify(make_claim(people["cy"], title="Quiet Shore", job="author", training_set=later_set), decider)
    return pool_create(
        data=pool_details([later_set], gross_amount=gross, admin_fee_percent=Decimal("0")), created_by=verifier
    )


def test_carried_balance_is_paid_by_the_next_pool_that_reaches_the_threshold(pool, verifier, people, decider):
    later = later_pool(pool, verifier, people, decider, gross=Decimal("50.00"))
    preview = pool_preview(pool=later)
    assert amounts(preview) == {"cy": (Decimal("50.00"), AllocationStatus.PAYABLE)}
    assert preview.brought_forward == Decimal("60.00")
    assert preview.largest_payment.total == Decimal("110.00")
    pool_issue(pool=later, issued_by=verifier)
    balance = CarriedBalance.objects.get(from_pool=pool)
    assert balance.paid_in_pool == later
    assert pool_preview(pool=ResidualPool.objects.get(pk=later.pk)).brought_forward == Decimal("60.00")


def test_carried_balance_stays_when_the_next_pool_is_still_below_the_threshold(pool, verifier, people, decider):
    later = later_pool(pool, verifier, people, decider, gross=Decimal("10.00"))
    pool_issue(pool=later, issued_by=verifier)  # 60.00 + 10.00 is still below 75.00
    assert sorted((b.from_pool_id, b.amount, b.paid_in_pool_id) for b in CarriedBalance.objects.all()) == [
        (pool.pk, Decimal("60.00"), None),
        (later.pk, Decimal("10.00"), None),
    ]


def test_pool_issue_refuses_when_the_preview_changed(pool, verifier, claims, decider):
    seen = pool_preview(pool=pool).fingerprint
    claim_transition(claim=claims["fay"], to=ClaimStatus.IN_REVIEW, actor=Actor(user=decider))
    claim_transition(claim=claims["fay"], to=ClaimStatus.VERIFIED, actor=Actor(user=decider))
    with pytest.raises(PoolChanged):
        pool_issue(pool=pool, issued_by=verifier, expected_fingerprint=seen)
    assert ResidualPool.objects.get(pk=pool.pk).status == PoolStatus.DRAFT
    assert not AllocationLine.objects.exists()


def test_pool_issue_refuses_a_pool_nobody_can_be_paid_from(verifier):
    empty = pool_create(data=pool_details([make_training_set(name="Empty Set")]), created_by=verifier)
    assert pool_preview(pool=empty).unallocated == Decimal("900.00")
    with pytest.raises(PoolActionRefused):
        pool_issue(pool=empty, issued_by=verifier)
    assert ResidualPool.objects.get(pk=empty.pk).status == PoolStatus.DRAFT and runs_of(empty) == []


def test_money_round_trips_exactly_through_the_database(opensubs, claims, verifier):
    big = pool_create(
        data=pool_details(
            [opensubs],
            gross_amount=Decimal("123456789012.34"),
            admin_fee_percent=Decimal("12.35"),
            payment_threshold=Decimal("0.00"),
        ),
        created_by=verifier,
    )
    preview = pool_preview(pool=ResidualPool.objects.get(pk=big.pk))
    assert preview.gross == Decimal("123456789012.34")
    assert preview.fee == Decimal("15246913443.02")  # 15,246,913,443.0239… rounded half-up
    pool_issue(pool=big, issued_by=verifier)
    stored = {line.claim_id: line.amount for line in AllocationLine.objects.filter(pool=big)}
    assert stored == {line.claim_id: line.amount for line in preview.lines}
    assert all(amount.as_tuple().exponent == -2 for amount in stored.values())
    assert sum(stored.values()) == preview.net == Decimal("108209875569.32")


# Views


def test_member_gets_403_on_every_pool_page(member_client, pool):
    for name, args in [
        ("pool_list", []),
        ("pool_create", []),
        ("pool_detail", [pool.pk]),
        ("pool_lines_csv", [pool.pk]),
        ("pool_issue", [pool.pk]),
    ]:
        assert member_client.get(reverse(f"claims:{name}", args=args)).status_code == 403, name
    assert member_client.post(reverse("claims:pool_issue", args=[pool.pk]), {"confirm": "on"}).status_code == 403
    assert ResidualPool.objects.get(pk=pool.pk).status == PoolStatus.DRAFT


def test_staff_records_a_pool_and_sees_its_preview(verifier_client, opensubs, claims):
    response = verifier_client.post(
        reverse("claims:pool_create"),
        {
            "payer": "Acme AI",
            "training_sets": [opensubs.pk],
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
            "gross_amount": "1000.00",
            "currency": "usd",
            "admin_fee_percent": "10",
            "payment_threshold": "75.00",
            "weight_performer": "40",
            "weight_writer": "40",
            "weight_crew": "20",
        },
    )
    pool = ResidualPool.objects.get()
    assert response.status_code == 302 and response.url == reverse("claims:pool_detail", args=[pool.pk])
    assert pool.currency == "USD" and pool.gross_amount == Decimal("1000.00")
    page = verifier_client.get(response.url)
    text = page.content.decode()
    assert page.context["preview"].net == Decimal("900.00")
    assert "USD 900.00" in text and "USD 540.00" in text and "Dee Dunn" in text
    assert "your declared 60%" in text


def test_pool_form_refuses_a_period_that_ends_before_it_starts(verifier_client, opensubs):
    response = verifier_client.post(
        reverse("claims:pool_create"),
        {
            "payer": "Acme AI",
            "training_sets": [opensubs.pk],
            "period_start": "2025-06-30",
            "period_end": "2025-01-01",
            "gross_amount": "1000.00",
            "currency": "USD",
            "admin_fee_percent": "10",
            "payment_threshold": "10.00",
            "weight_performer": "40",
            "weight_writer": "0",
            "weight_crew": "20",
        },
    )
    assert response.status_code == 200 and not ResidualPool.objects.exists()
    assert set(response.context["form"].errors) == {"period_end", "weight_writer"}


def test_pool_csv_has_every_line_with_neutralised_cells(verifier_client, pool, people):
    people["ana"].legal_name = '=HYPERLINK("http://evil")'
    people["ana"].save()
    response = verifier_client.get(reverse("claims:pool_lines_csv", args=[pool.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["training set", "work", "year", "claim"]
    assert len(rows) == 6
    ana = next(row for row in rows if row[5] == "ana@example.org")
    assert ana[4].startswith("'=HYPERLINK")
    assert (ana[7], ana[8], ana[9], ana[10], ana[12]) == ("1/3", "1/2", "150.000000", "150.00", "payable")


def test_issue_asks_for_confirmation_then_goes_to_the_statement_run(transactional_db, verifier_client, pool):
    # Committed for real, as in production: the run starts when issuing commits, before the redirect.
    page = verifier_client.get(reverse("claims:pool_issue", args=[pool.pk]))
    fingerprint = page.context["form"].initial["fingerprint"]
    assert "It cannot be undone" in page.content.decode()
    unconfirmed = verifier_client.post(reverse("claims:pool_issue", args=[pool.pk]), {"fingerprint": fingerprint})
    assert unconfirmed.status_code == 200 and ResidualPool.objects.get(pk=pool.pk).status == PoolStatus.DRAFT
    response = verifier_client.post(
        reverse("claims:pool_issue", args=[pool.pk]), {"fingerprint": fingerprint, "confirm": "on"}
    )
    run = StatementRun.objects.get(pool=pool)
    assert response.status_code == 302 and response.url == reverse("claims:run_detail", args=[run.pk])
    again = verifier_client.post(
        reverse("claims:pool_issue", args=[pool.pk]), {"fingerprint": fingerprint, "confirm": "on"}
    )
    assert again.url == response.url
    assert AllocationLine.objects.filter(pool=pool).count() == 5 and StatementRun.objects.count() == 1


def test_issue_with_a_stale_preview_sends_staff_back_to_the_new_figures(verifier_client, pool, claims, decider):
    page = verifier_client.get(reverse("claims:pool_issue", args=[pool.pk]))
    fingerprint = page.context["form"].initial["fingerprint"]
    claim_transition(claim=claims["fay"], to=ClaimStatus.IN_REVIEW, actor=Actor(user=decider))
    claim_transition(claim=claims["fay"], to=ClaimStatus.VERIFIED, actor=Actor(user=decider))
    response = verifier_client.post(
        reverse("claims:pool_issue", args=[pool.pk]), {"fingerprint": fingerprint, "confirm": "on"}, follow=True
    )
    assert "changed since the preview" in response.content.decode()
    assert response.context["preview"].works == 4
    assert ResidualPool.objects.get(pk=pool.pk).status == PoolStatus.DRAFT


def test_preview_table_is_capped_and_points_to_the_csv(verifier_client, pool, monkeypatch):
    monkeypatch.setattr("claims.views.residuals.pools.LINES_SHOWN", 2)
    response = verifier_client.get(reverse("claims:pool_detail", args=[pool.pk]))
    assert len(response.context["lines"]) == 2
    assert "3 more are in the CSV" in response.content.decode()


def test_issuing_again_starts_a_run_that_never_started(pool, verifier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the process died before the run started
        pool_issue(pool=pool, issued_by=verifier)
    with django_capture_on_commit_callbacks(execute=True):
        pool_issue(pool=pool, issued_by=verifier)
    assert runs_of(pool) == [pool.pk] and AllocationLine.objects.filter(pool=pool).count() == 5


def test_issuing_starts_the_real_statement_run_with_a_statement_per_member(
    pool, verifier, django_capture_on_commit_callbacks
):
    statements = pytest.importorskip("claims.services.residuals.statement_runs")
    if not hasattr(statements, "statement_run_start"):
        pytest.skip("statement_run_start is not written yet")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pool_issue(pool=pool, issued_by=verifier)
    callbacks[0]()  # what commit runs; the renders it queues in turn are the statement runs' business
    run = StatementRun.objects.get(pool=pool)
    assert sorted(run.statements.values_list("member__user__email", flat=True)) == [
        "ana@example.org",
        "ben@example.org",
        "cy@example.org",
        "dee@example.org",
        "eve@example.org",
    ]
