"""The verifier tests' people and training set: an IATSE verifier, a camera operator in IATSE
Local 600, a WGA writer the IATSE verifier must never see, and OpenSubs 2024 listing the twenty
titles of verification_builders.TITLES."""

import pytest

from claims.models import VerifierAssignment
from members.models import Union
from tests.claims.claims.verification_builders import LISTING
from tests.factories import load_manifest, make_member, make_training_set, make_union_membership


@pytest.fixture
def opensubs(db):
    """OpenSubs 2024, its listing loaded: every title of TITLES once."""
    training_set = make_training_set(name="OpenSubs 2024")
    load_manifest(training_set, LISTING)
    training_set.refresh_from_db()
    return training_set


@pytest.fixture
def iatse_verifier(verifier):
    """The `verifier` persona (signed in as `verifier_client`), assigned to IATSE and so its locals."""
    VerifierAssignment.objects.create(verifier=verifier, union=Union.objects.get(short_name="IATSE"))
    return verifier


@pytest.fixture
def camera_member(db):
    member = make_member(email="dp@example.org", legal_name="Dana Park", professional_names=["Dana Park"])
    make_union_membership(member, "IATSE Local 600", number="600-1")
    return member


@pytest.fixture
def writer_member(db):
    member = make_member(email="writer@example.org", legal_name="Wes Ward")
    make_union_membership(member, "WGA West", number="W-1")
    return member
