"""Every refusal a person can act on is a portal.errors.Refused, and its message is what they read."""

import pytest

from claims.listings.files import ManifestFileError
from claims.services.claims.evidence import EvidenceRefused
from claims.services.claims.transitions import ClaimActionRefused, ClaimChanged
from claims.services.discovery.ingestion import IngestCancelled
from members.services.credit_import import ImportFileError
from portal.errors import Refused


@pytest.mark.parametrize(
    "refusal", [ClaimActionRefused, ClaimChanged, EvidenceRefused, ManifestFileError, ImportFileError]
)
def test_refusals_shown_to_people_are_refused_with_their_message(refusal):
    error = refusal("Choose a reason for the rejection.")
    assert isinstance(error, Refused)
    assert error.message == str(error) == "Choose a reason for the rejection."


def test_an_import_file_error_keeps_the_line_it_points_to():
    error = ImportFileError("Line 3 is not UTF-8 text.", 3)
    assert (error.message, error.line) == ("Line 3 is not UTF-8 text.", 3)


def test_stopping_a_cancelled_load_is_control_flow_not_a_refusal():
    assert not issubclass(IngestCancelled, Refused)
