"""Claims for the verifier tests, made the way members make them, on a listing of twenty titles.

Each title is once in the listing; the even ones carry an IMDb id, so a credit with the same id
matches "by identifier" with a score of 100, the odd ones by exact title and year (below 100).
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from claims.enums import ClaimStatus
from claims.models import Claim, Match
from claims.services.claims.filing import claim_start, claim_submit
from claims.services.claims.transitions import Actor, claim_transition
from claims.services.discovery.matching import credits_match
from members.models import Credit
from tests.factories import load_manifest, make_credit, make_training_set, make_work

S = ClaimStatus

TITLES = [
    "Amberfield",
    "Birchwood",
    "Cedarline",
    "Deltaport",
    "Emberglow",
    "Falconcrest",
    "Garnetvale",
    "Harborlight",
    "Indigomoor",
    "Juniperhill",
    "Kestrelbay",
    "Lanternway",
    "Meadowsweet",
    "Nectarine",
    "Orchidpath",
    "Pebblebrook",
    "Quarrystone",
    "Ravenwood",
    "Saffronsky",
    "Thistledown",
]


def title_year(title: str) -> int:
    return 2000 + TITLES.index(title)


def title_imdb(title: str) -> str:
    index = TITLES.index(title)
    return f"tt{1000000 + index}" if index % 2 == 0 else ""


LISTING = "title,year,imdb\n" + "".join(f"{title},{title_year(title)},{title_imdb(title)}\n" for title in TITLES)


def file_claim(
    member,
    title: str,
    training_set,
    *,
    job: str = "camera_operator",
    share=None,
    submitted_days_ago: float | None = None,
) -> Claim:
    """A submitted claim made the way a member makes one: credit, match, start, submit."""
    identifiers = {"imdb_id": title_imdb(title)} if title_imdb(title) else {}
    work = make_work(title=title, year=title_year(title), **identifiers)
    credit = Credit.objects.filter(member=member, work=work, job=job).first() or make_credit(member, work, job=job)
    credits_match(credit_ids=[credit.pk], notify=False)
    match = Match.objects.get(credit=credit, training_set=training_set)
    claim = claim_start(member=member, credit=credit, training_set=training_set, entries=[match.entry])
    claim = claim_submit(claim=claim, actor=Actor(user=member.user), declared_share=share)
    if submitted_days_ago is not None:
        submitted_at = timezone.now() - timedelta(days=submitted_days_ago)
        Claim.objects.filter(pk=claim.pk).update(submitted_at=submitted_at)
        claim.submitted_at = submitted_at
    return claim


def take(claim: Claim, verifier) -> Claim:
    """The verifier takes the claim: it is in review and assigned to them."""
    return claim_transition(claim=claim, to=S.IN_REVIEW, actor=Actor(user=verifier, ip_address="10.0.0.1"))


def queue_numbers(client, **params) -> list[str]:
    """The claim numbers the queue page lists with these filters, in order."""
    response = client.get(reverse("claims:verify_queue"), params)
    assert response.status_code == 200
    return [claim.number for claim in response.context["page"].object_list]


def act(client, claim: Claim, action: str, **data):
    """Press an action's button on the review page the verifier sees now; follow to the result."""
    data = {"action": action, "seen_status": claim.status, **data}
    return client.post(reverse("claims:verify_act", args=[claim.pk]), data, follow=True, REMOTE_ADDR="192.0.2.7")


def page_text(response) -> str:
    return response.content.decode()


def make_set_with(title: str):
    """Another training set, whose listing holds only this title."""
    training_set = make_training_set(name=f"Set with {title}")
    load_manifest(training_set, f"title,year,imdb\n{title},{title_year(title)},{title_imdb(title)}\n")
    training_set.refresh_from_db()
    return training_set
