"""A verifier's decision carries a note to the member and, apart, an internal note for union staff
that the member never sees, on their claim page or in the email."""

from django.core import mail
from django.urls import reverse

from claims.enums import ClaimStatus as S
from claims.models import ClaimEvent
from tests.factories import make_claim

TO_MEMBER = "Welcome aboard: your credit is confirmed."
INTERNAL = "Checked with the payroll office, call sheet page 4."


def test_verifying_keeps_the_internal_note_from_the_member(
    verifier_client, iatse_verifier, camera_member, opensubs, client, django_capture_on_commit_callbacks, celery_eager
):
    claim = make_claim(camera_member, title="Harbor Lights", job="director_of_photography", training_set=opensubs)
    act = reverse("claims:verify_act", args=[claim.pk])
    verifier_client.post(act, {"action": "take", "seen_status": S.SUBMITTED})
    with django_capture_on_commit_callbacks(execute=True):
        response = verifier_client.post(
            act, {"action": "verify", "seen_status": S.IN_REVIEW, "message": TO_MEMBER, "internal_note": INTERNAL}
        )
    assert response.status_code == 302

    event = ClaimEvent.objects.get(claim=claim, to_status=S.VERIFIED)
    assert (event.message, event.internal_note) == (TO_MEMBER, INTERNAL)
    staff_page = verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])).content.decode()
    assert TO_MEMBER in staff_page and INTERNAL in staff_page

    client.force_login(camera_member.user)
    member_page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert TO_MEMBER in member_page and INTERNAL not in member_page
    [email] = [message for message in mail.outbox if message.to == [camera_member.user.email]]
    assert TO_MEMBER in email.body and INTERNAL not in email.body
