"""Fixtures shared by the three areas' tests."""

import pytest

from claims.models import Match
from tests.factories import load_manifest, make_credit, make_training_set, make_work

# A title written the listing's way ("Night Harbor, The (2019)"), a formula and markup: pages
# must show the last two as text.
FOUND_LISTING = 'title,year\n"Night Harbor, The (2019)",\n=HYPERLINK("http://evil"),2001\n<b>Bold Title</b>,2002\n'


@pytest.fixture
def found(member):
    """The member's credit on The Night Harbor (2019), found by discovery in OpenSubs 2024's listing."""
    make_credit(member, make_work(title="The Night Harbor", year=2019))
    training_set = make_training_set()
    load_manifest(training_set, FOUND_LISTING)
    return Match.objects.get(credit__member=member)
