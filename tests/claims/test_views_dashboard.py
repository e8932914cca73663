"""The member's dashboard (claims.views.dashboard): their credits and memberships, the matches
discovery found, their statements; only their own, and only once signed in."""

import pytest
from django.urls import reverse

from claims.enums import StatementStatus
from claims.models import Statement
from claims.services.residuals.statements import statement_render, statement_run_start
from members.models import MemberProfile
from tests.claims.residuals.statement_builders import bulk_pool
from tests.factories import make_credit, make_union_membership, make_work

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
