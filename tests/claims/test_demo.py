from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.core.management import call_command
from django.db.models import Count

from claims.management.commands.load_demo import DEMO_MEMBERS, DEMO_PASSWORD, VERIFIER_EMAIL
from members.enums import WorkType
from members.models import Credit, MemberProfile, Membership, ProfessionalName, User, Work

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "profiles": MemberProfile.objects.count(),
        "names": ProfessionalName.objects.count(),
        "memberships": Membership.objects.count(),
        "works": Work.objects.count(),
        "credits": Credit.objects.count(),
    }


def test_load_demo_creates_three_members_of_three_unions():
    load_demo()

    memberships = Membership.objects.select_related("union", "member__user")
    unions = {membership.member.user.email: membership.union.short_name for membership in memberships}
    assert unions == {
        "lola.vega@example.org": "SAG-AFTRA",
        "sam.brooks@example.org": "WGA West",
        "minjung.park@example.org": "IATSE Local 600",
        "rafael.ortiz@example.org": "IATSE Local 600",
        "keisha.grant@example.org": "IATSE Local 600",
    }
    for membership in memberships:
        assert membership.member_number
        assert membership.since is not None
        profile = membership.member
        assert profile.is_complete
        assert profile.professional_names.exists()
        assert 1 <= profile.credits.count() <= 8


def test_load_demo_members_can_sign_in_with_a_verified_email():
    load_demo()

    for email in [person.email for person in DEMO_MEMBERS] + [VERIFIER_EMAIL]:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, email=email, primary=True, verified=True).exists()


def test_load_demo_verifier_is_staff_without_two_step_yet():
    load_demo()

    verifier = User.objects.get(email=VERIFIER_EMAIL)
    assert verifier.is_staff
    assert not verifier.is_superuser
    assert not is_mfa_enabled(verifier)
    # The union verifiers have two-step sign-in on, with the demo's published codes.
    others = User.objects.filter(is_staff=True).exclude(pk=verifier.pk)
    assert {user.email for user in others} == {
        "sag.verifier@union.example",
        "wga.verifier@union.example",
        "iatse.verifier@union.example",
        "dga.verifier@union.example",
    }
    assert all(is_mfa_enabled(user) and not user.is_superuser for user in others)


def test_load_demo_works_are_shared_and_identified():
    load_demo()

    shared = Work.objects.annotate(members=Count("credits__member", distinct=True)).filter(members__gte=2)
    assert "The Salt Road" in {work.title for work in shared}
    # Pasted forms (a URL, upper case) end up as the canonical IMDb id.
    assert Work.objects.get(title="Harbor Lights at Midnight").imdb_id == "tt99000102"
    assert Work.objects.get(title="The Long Quiet").imdb_id == "tt99000103"
    assert Work.objects.get(work_type=WorkType.BOOK).isbn == "9798990001015"
    pilot = Work.objects.get(series_title="Desert Frequencies", episode=1)
    assert pilot.display_title == "Desert Frequencies S01E01: Pilot"
    assert set(pilot.credits.values_list("job", flat=True)) == {"principal", "teleplay_by"}


def test_load_demo_twice_changes_nothing_and_prints_the_logins_again():
    first_output = load_demo()
    counts = demo_counts()

    second_output = load_demo()

    assert demo_counts() == counts
    assert "already loaded" in second_output
    for output in (first_output, second_output):
        assert DEMO_PASSWORD in output
        for person in DEMO_MEMBERS:
            assert person.email in output
        assert VERIFIER_EMAIL in output
