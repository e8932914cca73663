"""What a verifier reads (claims.selectors.claims.verification): which claims the queue shows,
its filters, sorts and pages, the review page of one claim, and the dashboard's numbers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from claims.enums import ClaimStatus, MatchMethod
from claims.models import Claim, Match
from claims.selectors.claims.verification import actions_from
from claims.services.claims.evidence import evidence_add
from claims.services.claims.filing import claim_start
from claims.services.claims.transitions import Actor
from claims.services.claims.verification import claim_act
from claims.services.discovery.matching import credits_match
from members.models import Union
from tests.claims.claims.verification_builders import (
    TITLES,
    file_claim,
    make_set_with,
    page_text,
    queue_numbers,
    take,
    title_year,
)
from tests.factories import (
    load_manifest,
    make_credit,
    make_member,
    make_staff,
    make_training_set,
    make_union_membership,
    make_verifier,
    make_work,
)

S = ClaimStatus


# Who sees which claims


def test_queue_shows_only_claims_of_the_verifiers_unions(
    verifier_client, iatse_verifier, opensubs, camera_member, writer_member
):
    local_600 = file_claim(camera_member, "Amberfield", opensubs)
    wga = file_claim(writer_member, "Birchwood", opensubs, job="written_by")
    content = page_text(verifier_client.get(reverse("claims:verify_queue")))
    assert local_600.number in content and "Dana Park" in content
    assert wga.number not in content and "Wes Ward" not in content
    assert verifier_client.get(reverse("claims:verify_claim", args=[wga.pk])).status_code == 404


def test_queue_of_a_verifier_with_no_union_is_empty(verifier_client, verifier, opensubs, camera_member):
    file_claim(camera_member, "Amberfield", opensubs)
    assert queue_numbers(verifier_client) == []


def test_queue_of_a_superuser_shows_every_union(client, opensubs, camera_member, writer_member):
    boss = make_staff(email="boss@union.example", is_superuser=True)
    client.force_login(boss)
    local_600 = file_claim(camera_member, "Amberfield", opensubs)
    wga = file_claim(writer_member, "Birchwood", opensubs, job="written_by")
    assert queue_numbers(client) == [local_600.number, wga.number]


def test_queue_leaves_out_drafts(verifier_client, iatse_verifier, opensubs, camera_member):
    credit = make_credit(camera_member, make_work(title="Cedarline", year=title_year("Cedarline")))
    credits_match(credit_ids=[credit.pk], notify=False)
    match = Match.objects.get(credit=credit)
    claim_start(member=camera_member, credit=credit, training_set=opensubs, entries=[match.entry])
    assert queue_numbers(verifier_client, status="any") == []


# Filters, sorting, pagination


@pytest.fixture
def queue(iatse_verifier, opensubs, camera_member):
    """Three claims in IATSE locals: a Local 600 one by identifier, old; a Local 700 one by
    title, recent, with evidence; a Local 600 one in review, middling age."""
    editor = make_member(email="editor@example.org", legal_name="Eli Edwards")
    make_union_membership(editor, "IATSE Local 700")
    old_identifier = file_claim(camera_member, "Amberfield", opensubs, submitted_days_ago=40)
    recent_title = file_claim(editor, "Birchwood", opensubs, job="picture_editor", submitted_days_ago=1)
    evidence_add(
        claim=recent_title,
        upload=SimpleUploadedFile("memo.txt", b"Deal memo"),
        kind="contract",
        uploaded_by=editor.user,
    )
    in_review = file_claim(camera_member, "Cedarline", opensubs, submitted_days_ago=10)
    take(in_review, iatse_verifier)
    return {"old_identifier": old_identifier, "recent_title": recent_title, "in_review": in_review}


def test_queue_is_oldest_first_by_default(verifier_client, queue):
    assert queue_numbers(verifier_client) == [
        queue["old_identifier"].number,
        queue["in_review"].number,
        queue["recent_title"].number,
    ]
    assert "oldest first" in page_text(verifier_client.get(reverse("claims:verify_queue")))


def test_queue_sorted_by_strongest_match_then_age(verifier_client, queue, opensubs, camera_member):
    another_identifier = file_claim(camera_member, "Emberglow", opensubs, submitted_days_ago=5)
    numbers = queue_numbers(verifier_client, sort="strongest")
    # Identifier matches (100) first, the oldest of them first; then the title match.
    assert numbers == [
        queue["old_identifier"].number,
        queue["in_review"].number,
        another_identifier.number,
        queue["recent_title"].number,
    ]
    content = page_text(verifier_client.get(reverse("claims:verify_queue"), {"sort": "strongest"}))
    assert "strongest match first" in content


def test_queue_filters_by_union_and_local(verifier_client, queue):
    local_600 = Union.objects.get(short_name="IATSE Local 600")
    iatse = Union.objects.get(short_name="IATSE")
    assert queue_numbers(verifier_client, union=local_600.pk) == [
        queue["old_identifier"].number,
        queue["in_review"].number,
    ]
    assert len(queue_numbers(verifier_client, union=iatse.pk)) == 3  # the union covers its locals


def test_queue_cannot_filter_by_a_union_the_verifier_does_not_verify(verifier_client, queue):
    wga = Union.objects.get(short_name="WGA West")
    response = verifier_client.get(reverse("claims:verify_queue"), {"union": wga.pk})
    assert str(wga.pk) not in [str(value) for value, _ in response.context["form"].fields["union"].choices]
    assert len(response.context["page"].object_list) == 3  # the bad value is ignored, not obeyed


def test_queue_filters_by_training_set(verifier_client, queue, camera_member):
    other_set = make_training_set(name="Books3")
    load_manifest(other_set, "title,year\nDeltaport,2003\n")
    other_set.refresh_from_db()
    other = file_claim(camera_member, "Deltaport", other_set)
    assert queue_numbers(verifier_client, training_set=other_set.pk) == [other.number]


def test_queue_filters_by_state(verifier_client, queue):
    assert queue_numbers(verifier_client, status="in_review") == [queue["in_review"].number]
    assert queue_numbers(verifier_client, status="verified") == []


def test_queue_filters_by_age(verifier_client, queue):
    assert queue_numbers(verifier_client, min_age_days=7) == [queue["old_identifier"].number, queue["in_review"].number]
    assert queue_numbers(verifier_client, min_age_days=30) == [queue["old_identifier"].number]


def test_queue_filters_by_conflicts(verifier_client, iatse_verifier, opensubs, camera_member):
    rival = make_member(email="rival@example.org", legal_name="Rita Rival")
    make_union_membership(rival, "IATSE Local 600")
    mine = file_claim(camera_member, "Garnetvale", opensubs, job="director_of_photography")
    theirs = file_claim(rival, "Garnetvale", opensubs, job="director_of_photography")
    calm = file_claim(camera_member, "Amberfield", opensubs)
    assert set(queue_numbers(verifier_client, conflicts="yes")) == {mine.number, theirs.number}
    assert queue_numbers(verifier_client, conflicts="no") == [calm.number]
    assert "Conflict" in page_text(verifier_client.get(reverse("claims:verify_queue"), {"conflicts": "yes"}))


def test_queue_filters_by_evidence(verifier_client, queue):
    assert queue_numbers(verifier_client, evidence="yes") == [queue["recent_title"].number]
    assert queue["recent_title"].number not in queue_numbers(verifier_client, evidence="no")


def test_queue_filters_by_match_method_and_score(verifier_client, queue):
    identifiers = [queue["old_identifier"].number, queue["in_review"].number]
    assert queue_numbers(verifier_client, method=MatchMethod.IDENTIFIER) == identifiers
    assert queue_numbers(verifier_client, method=MatchMethod.EXACT) == [queue["recent_title"].number]
    assert queue_numbers(verifier_client, min_score=100) == identifiers
    assert queue["recent_title"].best_score < 100
    assert queue["recent_title"].number in queue_numbers(verifier_client, min_score=queue["recent_title"].best_score)


def test_queue_filters_by_who_it_is_assigned_to(verifier_client, queue):
    assert queue_numbers(verifier_client, assigned="me") == [queue["in_review"].number]
    assert queue["in_review"].number not in queue_numbers(verifier_client, assigned="nobody")


def test_queue_paginates_and_keeps_the_filters(verifier_client, iatse_verifier, opensubs, camera_member):
    second = make_member(email="second-dp@example.org", legal_name="Sam Second")
    make_union_membership(second, "IATSE Local 600")
    for number, title in enumerate(TITLES[:14]):
        file_claim(camera_member, title, opensubs, submitted_days_ago=100 - number)
        file_claim(second, title, opensubs, submitted_days_ago=50 - number)
    Claim.objects.update(best_method=MatchMethod.EXACT)  # all on one filter, to see it kept on page 2
    first = verifier_client.get(reverse("claims:verify_queue"), {"method": "exact"})
    assert first.context["page"].paginator.count == 28 and len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in page_text(first) and "method=exact&amp;page=2" in page_text(first)
    second_page = verifier_client.get(reverse("claims:verify_queue"), {"method": "exact", "page": 2})
    numbers = [claim.number for claim in second_page.context["page"].object_list]
    assert len(numbers) == 3 and "method=exact&amp;page=1" in page_text(second_page)
    newest = Claim.objects.order_by("-submitted_at")[:3]
    assert numbers == [claim.number for claim in reversed(newest)]


# The review page


def test_review_page_shows_member_credit_entries_evidence_and_others(
    verifier_client, iatse_verifier, opensubs, camera_member
):
    rival = make_member(email="rival@example.org", legal_name="Rita Rival")
    make_union_membership(rival, "IATSE Local 600")
    outsider = make_member(email="outsider@example.org", legal_name="Otto Outside")
    make_union_membership(outsider, "SAG-AFTRA")
    claim = file_claim(camera_member, "Amberfield", opensubs, job="director_of_photography", share=Decimal("100"))
    rival_claim = file_claim(rival, "Amberfield", opensubs, job="director_of_photography")
    file_claim(outsider, "Amberfield", opensubs, job="principal")
    own_other = file_claim(camera_member, "Amberfield", make_set_with("Amberfield"), job="director_of_photography")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    image = evidence_add(
        claim=claim, upload=SimpleUploadedFile("credit.png", png), kind="screen_credit", uploaded_by=camera_member.user
    )
    pdf = evidence_add(
        claim=claim,
        upload=SimpleUploadedFile("memo.pdf", b"%PDF-1.4 memo"),
        kind="contract",
        uploaded_by=camera_member.user,
    )
    evidence_add(
        claim=claim,
        upload=SimpleUploadedFile("note.txt", b"Call sheet: <b>Dana</b> DP"),
        kind="call_sheet",
        uploaded_by=camera_member.user,
    )
    response = verifier_client.get(reverse("claims:verify_claim", args=[claim.pk]))
    content = page_text(response)
    assert (
        "Dana Park" in content and "dp@example.org" in content and "IATSE Local 600" in content and "#600-1" in content
    )
    assert "Director of photography" in content and "100.00%" in content
    entry_match = Match.objects.get(credit=claim.credit, training_set=opensubs)
    assert entry_match.reason in content and "Same identifier" in content
    image_url = reverse("claims:staff_evidence_download", args=[claim.pk, image.pk])
    pdf_url = reverse("claims:staff_evidence_download", args=[claim.pk, pdf.pk])
    assert f'<img src="{image_url}"' in content
    assert f'<a href="{pdf_url}">Open the PDF' in content
    assert "Call sheet: &lt;b&gt;Dana&lt;/b&gt; DP" in content and "<b>Dana</b>" not in content
    assert own_other.number in content
    rivals = {rival.claim.number: rival for rival in response.context["review"].others_on_work}
    assert rivals[rival_claim.number].conflict and rivals[rival_claim.number].visible
    assert "Rita Rival" in content and 'class="conflict"' in content and "Conflict: same one-person job" in content
    outsider_row = [rival for rival in rivals.values() if not rival.visible]
    assert len(outsider_row) == 1 and not outsider_row[0].conflict
    assert "Otto Outside" not in content and "a member outside your unions" in content


def test_review_page_offers_only_the_actions_the_state_allows(verifier_client, iatse_verifier, opensubs, camera_member):
    claim = file_claim(camera_member, "Amberfield", opensubs)
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    assert 'value="take"' in content and 'value="dispute"' in content
    assert 'value="verify"' not in content and 'value="reject"' not in content and 'value="reopen"' not in content
    take(claim, iatse_verifier)
    content = page_text(verifier_client.get(reverse("claims:verify_claim", args=[claim.pk])))
    for offered in ['value="verify"', 'value="reject"', 'value="needs_info"', 'value="dispute"']:
        assert offered in content
    assert 'value="take"' not in content and 'value="reopen"' not in content


def test_actions_from_each_state_match_the_transition_table():
    assert actions_from(S.SUBMITTED) == ["take", "dispute"]
    assert actions_from(S.IN_REVIEW) == ["verify", "reject", "needs_info", "dispute"]
    assert actions_from(S.DISPUTED) == ["verify", "reject"]
    assert actions_from(S.VERIFIED) == ["dispute", "reopen"]
    assert actions_from(S.REJECTED) == ["reopen"]
    assert actions_from(S.NEEDS_INFO) == ["dispute"]
    assert actions_from(S.WITHDRAWN) == []


# Dashboard


def test_verify_dashboard_counts_decisions_open_claims_and_each_verifiers_work(
    verifier_client, iatse_verifier, opensubs, camera_member, writer_member
):
    second = make_verifier(email="second@union.example", unions=("IATSE",))
    editor = make_member(email="editor@example.org", legal_name="Eli Edwards")
    make_union_membership(editor, "IATSE Local 700")
    now = timezone.now()

    def decided(claim: Claim, who, action: str, *, submitted_days: float, decided_days: float) -> None:
        take(claim, who)
        claim_act(claim=claim, action=action, actor=Actor(user=who), reason="duplicate" if action == "reject" else "")
        Claim.objects.filter(pk=claim.pk).update(
            submitted_at=now - timedelta(days=submitted_days), decided_at=now - timedelta(days=decided_days)
        )

    decided(
        file_claim(camera_member, "Amberfield", opensubs),
        iatse_verifier,
        "verify",
        submitted_days=12,
        decided_days=10,
    )  # 2 days
    decided(
        file_claim(camera_member, "Birchwood", opensubs), iatse_verifier, "reject", submitted_days=9, decided_days=5
    )  # 4 days
    decided(
        file_claim(editor, "Cedarline", opensubs, job="picture_editor"),
        second,
        "verify",
        submitted_days=20,
        decided_days=10,
    )  # 10 days
    decided(
        file_claim(editor, "Deltaport", opensubs, job="picture_editor"),
        second,
        "verify",
        submitted_days=100,
        decided_days=40,
    )  # outside the 30 days
    oldest = file_claim(camera_member, "Emberglow", opensubs, submitted_days_ago=6)
    take(file_claim(editor, "Falconcrest", opensubs, job="picture_editor", submitted_days_ago=2), second)
    file_claim(camera_member, "Garnetvale", opensubs, submitted_days_ago=1)
    file_claim(writer_member, "Harborlight", opensubs, job="written_by", submitted_days_ago=300)  # not mine

    response = verifier_client.get(reverse("claims:verify_dashboard"))
    stats = response.context["stats"]
    content = page_text(response)
    assert stats.median_days_to_decision == pytest.approx(4, abs=0.01) and stats.decisions_counted == 3
    assert "4.0 days" in content
    assert stats.oldest_waiting == oldest and oldest.number in content
    rows = {row["union"]: row["counts"] for row in stats.open_by_union}
    assert rows == {"IATSE Local 600": [2, 0, 0, 0], "IATSE Local 700": [0, 1, 0, 0]}
    assert "WGA West" not in content
    per_verifier = {row["email"]: row for row in stats.per_verifier}
    assert per_verifier["verifier@union.example"] == {
        "email": "verifier@union.example",
        "in_review": 0,
        "verified": 1,
        "rejected": 1,
    }
    # The 40-day-old decision's event is recent here (dates were moved on the claim only), so count events:
    assert per_verifier["second@union.example"]["in_review"] == 1
    assert per_verifier["second@union.example"]["verified"] == 2
