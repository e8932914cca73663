"""What the residual pool pages (claims.views.residuals.pools) cost as pools and lines grow."""

import pytest
from django.urls import reverse

from claims.enums import AllocationStatus, ClaimStatus
from claims.models import AllocationLine
from claims.services.claims.transitions import Actor, claim_transition
from claims.services.residuals.pools import pool_create
from tests.claims.residuals.pool_builders import pool_details
from tests.claims.residuals.statement_builders import add_lines, make_issued_pool
from tests.factories import make_claim, make_member, make_training_set
from tests.queries import assert_page_queries_constant

# Issuing starts the real statement run; its renders run in this process.
pytestmark = pytest.mark.usefixtures("celery_eager")


def test_pool_list_shows_every_pool_in_constant_queries(verifier_client, verifier):
    def add_pools():
        payers = ["Beta Labs", "Gamma AI", "Delta ML"]
        for payer in payers:
            sets = [opensubs, make_training_set(name=f"{payer} set")]
            pool_create(data=pool_details(sets, payer=payer), created_by=verifier)
        return payers

    opensubs = make_training_set(name="OpenSubs 2024")
    pool_create(data=pool_details([opensubs]), created_by=verifier)
    assert_page_queries_constant(verifier_client, reverse("claims:pool_list"), add_pools)
    text = verifier_client.get(reverse("claims:pool_list")).content.decode()
    assert "Gamma AI" in text and "USD 1,000.00" in text


def test_pool_page_of_a_draft_query_count_does_not_grow_with_claims(verifier_client, verifier, decider):
    def verified_claim(name: str, title: str):
        person = make_member(legal_name=name)
        claim = make_claim(person, title=title, training_set=training_set)
        claim = claim_transition(claim=claim, to=ClaimStatus.IN_REVIEW, actor=Actor(user=decider))
        return claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=Actor(user=decider))

    def add_claims():
        claims = [verified_claim(f"Member {title}", title) for title in ["Blue Mesa", "Iron Gate", "Red Canyon"]]
        return [claim.number for claim in claims]

    training_set = make_training_set(name="OpenSubs 2024")
    verified_claim("Ana Alves", "Night Harbor")
    pool = pool_create(data=pool_details([training_set]), created_by=verifier)
    assert_page_queries_constant(verifier_client, reverse("claims:pool_detail", args=[pool.pk]), add_claims)


def test_pool_page_of_an_issued_pool_query_count_does_not_grow_with_lines(verifier_client, member, other_member):
    def held(lines):
        """Lines of disputed works: the page lists them again under "Money held for disputed works"."""
        AllocationLine.objects.filter(pk__in=[line.pk for line in lines]).update(status=AllocationStatus.HELD)
        return lines

    def add_lines_of_more_members():
        lines = add_lines(pool, other_member, ["20.00", "30.00"])
        lines += held(add_lines(pool, make_member(legal_name="Cy Chen", professional_names=["Cy C."]), ["40.00"]))
        lines += held(add_lines(pool, make_member(legal_name="Dee Dunn"), ["50.00", "60.00"]))
        return [line.claim.number for line in lines]

    pool = make_issued_pool()
    add_lines(pool, member, ["10.00"])
    held(add_lines(pool, make_member(legal_name="Ana Alves"), ["5.00"]))
    url = reverse("claims:pool_detail", args=[pool.pk])
    assert_page_queries_constant(verifier_client, url, add_lines_of_more_members)
    assert "Money held for disputed works" in verifier_client.get(url).content.decode()
