"""The member's dashboard (claims.views.dashboard): their credits and memberships, the matches
discovery found, their statements; only their own, and only once signed in."""

import pytest
from django.urls import reverse

from claims.enums import StatementStatus
from claims.models import Statement
from claims.services.residuals.statement_runs import statement_run_start
from claims.services.residuals.statements import statement_render
from members.models import MemberProfile
from tests.claims.residuals.statement_builders import add_lines, bulk_pool, make_issued_pool
from tests.factories import (
    load_manifest,
    make_claim,
    make_credit,
    make_training_set,
    make_union_membership,
    make_work,
)
from tests.queries import assert_page_queries_constant

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_match_with_entry_score_and_reason(member_client, found):
    content = member_client.get(reverse("claims:dashboard")).content.decode()
    assert "Night Harbor, The (2019)" in content
    assert f"<strong>{found.score}</strong>" in content and "Claim this" in content and "Not mine" in content


def test_dashboard_requires_sign_in(client):
    response = client.get(reverse("claims:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_dashboard_shows_own_credits_and_memberships(member_client, member, other_member):
    make_credit(member, make_work(title="Night Harbor"), credited_as="Harbor Master")
    make_credit(other_member, make_work(title="Someone Else's Film", year=2001))
    make_union_membership(member, "SAG-AFTRA", "SAG123456")
    content = member_client.get(reverse("claims:dashboard")).content.decode()
    assert "Night Harbor" in content and "Harbor Master" in content
    assert "SAG123456" in content
    assert "Someone Else" not in content


def test_dashboard_lists_the_members_ready_statements_only(client, db):
    pool, totals = bulk_pool(members=2)
    first, second = MemberProfile.objects.filter(pk__in=totals).order_by("pk")
    run = statement_run_start(pool=pool, started_by=None)
    for statement in Statement.objects.filter(run=run):
        statement_render(statement_id=statement.pk)
    mine = Statement.objects.get(run=run, member=first)
    assert mine.status == StatementStatus.DONE
    client.force_login(first.user)
    content = client.get("/dashboard/").content.decode()
    assert mine.number in content
    assert Statement.objects.get(run=run, member=second).number not in content


def ready_statement(member, *, payer: str) -> Statement:
    """An issued pool paying the member, its statement rendered."""
    pool = make_issued_pool(payer=payer)
    add_lines(pool, member, ["10.00"])
    statement = statement_run_start(pool=pool, started_by=None).statements.get(member=member)
    statement_render(statement_id=statement.pk)
    return statement


def test_dashboard_query_count_does_not_grow_with_what_the_member_has(member_client, member, found):
    def add_more_of_everything():
        titles = {"Amber Coast": 2011, "Birch Coast": 2012, "Cedar Coast": 2013}
        for title, year in titles.items():
            make_credit(member, make_work(title=f"The {title}", year=year))
        # Written the listing's way, so the text is the match's, not the credit's.
        entries = [f"{title}, The ({year})" for title, year in titles.items()]
        load_manifest(make_training_set(name="Books3"), "title\n" + "".join(f'"{entry}"\n' for entry in entries))
        claims = [make_claim(member, title=title, year=2015, submit=False) for title in ["Paper Moons", "Salt Road"]]
        statements = [ready_statement(member, payer=payer) for payer in ["Beta Labs", "Gamma AI"]]
        make_union_membership(member, "DGA", "DGA-777")
        return [*entries, *(claim.number for claim in claims), *(s.number for s in statements), "DGA-777"]

    make_union_membership(member, "SAG-AFTRA", "SAG-111")
    make_claim(member, title="Quiet Shore", year=2004)
    ready_statement(member, payer="Acme AI")
    assert_page_queries_constant(member_client, reverse("claims:dashboard"), add_more_of_everything)
