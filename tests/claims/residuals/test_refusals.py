"""A refusal staff can act on is a `portal.errors.Refused`, and the pool pages show its message."""

import pytest
from django.urls import reverse

from claims.enums import PoolStatus
from claims.models import ResidualPool
from claims.services.residuals.held_release import ReleaseRefused
from claims.services.residuals.pools import PoolActionRefused, PoolChanged
from portal.errors import Refused
from tests.claims.residuals.statement_builders import add_lines, make_issued_pool


@pytest.mark.parametrize("refusal", [PoolActionRefused, PoolChanged, ReleaseRefused])
def test_pool_and_release_refusals_are_refusals_with_a_message(refusal):
    error = refusal("Check the new figures.")
    assert isinstance(error, Refused) and error.message == "Check the new figures."


def test_releasing_money_that_is_not_held_shows_why(verifier_client, member):
    pool = make_issued_pool()
    [line] = add_lines(pool, member, ["12.50"])  # payable: nothing held
    url = reverse("claims:pool_release_held", args=[pool.pk, line.training_set_id, line.work_id])

    response = verifier_client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("claims:pool_detail", args=[pool.pk])
    assert "Nothing is held for this work in this pool: it may have been released already." in (
        response.content.decode()
    )


def test_issuing_a_pool_with_nobody_to_pay_shows_why_and_leaves_it_a_draft(verifier_client):
    pool = make_issued_pool()  # its training set has no verified claim
    ResidualPool.objects.filter(pk=pool.pk).update(status=PoolStatus.DRAFT, issued_at=None)
    url = reverse("claims:pool_issue", args=[pool.pk])
    fingerprint = verifier_client.get(url).context["preview"].fingerprint

    response = verifier_client.post(url, {"fingerprint": fingerprint, "confirm": "on"}, follow=True)

    assert "has a verified claim yet: there is nobody to pay." in response.content.decode()
    assert ResidualPool.objects.get(pk=pool.pk).status == PoolStatus.DRAFT
