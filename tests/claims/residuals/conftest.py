"""People the residuals tests share."""

import pytest

from tests.factories import make_staff


@pytest.fixture
def decider(db):
    """A superuser on staff, who may decide any union's claims (to verify or reject claims a pool pays)."""
    return make_staff(email="decider@union.example", is_superuser=True)
