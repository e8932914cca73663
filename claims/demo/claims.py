"""Demo claims and verifiers for `make run`: a claim in every state, a conflict, and a
verifier for each union, so a newcomer can walk the verification queue at once.

Runs after the demo training sets are loaded and matched (members/management/commands/
load_demo.py); does nothing when the demo members already have claims. Every step goes
through the real services, so the timelines read as they would in use.
"""

import base64
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import password_validation
from django.db import transaction

from claims.enums import ClaimStatus
from claims.models import Claim, Match, ResidualPool, Statement, TrainingSet, VerifierAssignment
from claims.services.claims.filing import claim_from_match, claim_submit
from claims.services.claims.transitions import Actor, claim_transition
from claims.services.residuals.pools import PoolDetails, pool_create, pool_issue
from claims.services.residuals.statement_runs import run_finish_if_complete, statement_run_start
from claims.services.residuals.statements import statement_render
from members.models import Union, User
from members.services.profiles import profile_ensure, profile_update


# Fixed, published secrets: these accounts exist only in the demo. `manage.py demo_code EMAIL`
# prints the current code for anyone without an authenticator app at hand.
def _demo_secret(label: str) -> str:
    return base64.b32encode(f"residuals-demo-{label}".encode()[:20].ljust(20, b"-")).decode()


DEMO_VERIFIERS = [
    # email, name, unions, TOTP secret (base32)
    ("sag.verifier@union.example", "Priya Raman", ["SAG-AFTRA"], _demo_secret("sag")),
    ("wga.verifier@union.example", "Tomás Okafor", ["WGA West", "WGA East"], _demo_secret("wga")),
    ("iatse.verifier@union.example", "Grace Liu", ["IATSE"], _demo_secret("iatse")),
    ("dga.verifier@union.example", "Marcus Bell", ["DGA"], _demo_secret("dga")),
]


@dataclass(frozen=True)
class DemoClaim:
    email: str
    title: str  # the credited work's title
    job: str
    training_set: str
    steps: tuple[str, ...]  # statuses to walk through after the draft
    share: Decimal | None = None
    message: str = ""
    reason: str = ""


DEMO_CLAIMS = [
    DemoClaim(
        "lola.vega@example.org",
        "The Salt Road",
        "supporting",
        "SubtitleCorpus-XL",
        ("submitted", "in_review", "verified"),
    ),
    DemoClaim(
        "lola.vega@example.org",
        "Harbor Lights at Midnight",
        "principal",
        "SubtitleCorpus-XL",
        ("submitted", "in_review"),
    ),
    DemoClaim(
        "lola.vega@example.org",
        "Code Amber",
        "supporting",
        "SubtitleCorpus-XL",
        ("submitted", "in_review", "needs_info"),
        message="Please send the call sheet or a screenshot of the end credits showing your name.",
    ),
    DemoClaim("lola.vega@example.org", "Pilot", "principal", "SubtitleCorpus-XL", ("submitted",)),
    DemoClaim(
        "sam.brooks@example.org",
        "The Long Quiet",
        "screenplay_by",
        "SubtitleCorpus-XL",
        ("submitted", "in_review", "verified"),
        share=Decimal("50"),
    ),
    DemoClaim(
        "minjung.park@example.org",
        "The Salt Road",
        "camera_operator",
        "SubtitleCorpus-XL",
        ("submitted", "in_review", "verified"),
    ),
    DemoClaim("sam.brooks@example.org", "The Cartographer's Daughter", "author", "ShadowShelf Books", ()),
    DemoClaim(
        "sam.brooks@example.org",
        "Harbor Lights at Midnight",
        "screenplay_by",
        "SubtitleCorpus-XL",
        ("submitted", "in_review", "rejected"),
        reason="wrong_role",
        message="The screen credits list you under 'story by', not 'screenplay by'. Please claim that credit.",
    ),
    DemoClaim("sam.brooks@example.org", "Static", "written_by", "SubtitleCorpus-XL", ("submitted", "withdrawn")),
    # Two directors of photography on one film: both claims go to "disputed".
    DemoClaim(
        "rafael.ortiz@example.org",
        "Harbor Lights at Midnight",
        "director_of_photography",
        "SubtitleCorpus-XL",
        ("submitted",),
    ),
    DemoClaim(
        "keisha.grant@example.org",
        "Harbor Lights at Midnight",
        "director_of_photography",
        "SubtitleCorpus-XL",
        ("submitted",),
    ),
]
UNION_OF = {
    "lola.vega@example.org": "SAG-AFTRA",
    "sam.brooks@example.org": "WGA West",
    "minjung.park@example.org": "IATSE",
    "rafael.ortiz@example.org": "IATSE",
    "keisha.grant@example.org": "IATSE",
}


def _verifier(email: str, name: str, unions: list[str], secret: str, password: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, is_staff=True)
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        profile_update(profile=profile_ensure(user=user), data={"legal_name": name})
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    for short_name in unions:
        VerifierAssignment.objects.get_or_create(verifier=user, union=Union.objects.get(short_name=short_name))
    return user


def load_demo_claims(*, password: str) -> list[str]:
    """Create the demo verifiers and claims once; returns lines to print."""
    verifiers = {
        email: _verifier(email, name, unions, secret, password) for email, name, unions, secret in DEMO_VERIFIERS
    }
    if Claim.objects.filter(member__user__email__in=UNION_OF).exists():
        return []
    by_union = {
        "SAG-AFTRA": "sag.verifier@union.example",
        "WGA West": "wga.verifier@union.example",
        "IATSE": "iatse.verifier@union.example",
    }
    lines = []
    with transaction.atomic():
        for demo in DEMO_CLAIMS:
            match = (
                Match.objects.filter(
                    credit__member__user__email=demo.email,
                    credit__work__title=demo.title,
                    credit__job=demo.job,
                    training_set__name=demo.training_set,
                    entry__manifest__current_for__isnull=False,
                )
                .select_related("credit__member__user", "training_set", "entry")
                .order_by("-score")
                .first()
            )
            if match is None:
                lines.append(f"  (no match for {demo.title} / {demo.email}; claim skipped)")
                continue
            member = match.credit.member
            claim = claim_from_match(member=member, match=match)
            verifier = Actor(verifiers[by_union[UNION_OF[demo.email]]], "127.0.0.1")
            for step in demo.steps:
                claim.refresh_from_db()
                if claim.status == step:
                    continue
                if step == ClaimStatus.SUBMITTED:
                    claim = claim_submit(claim=claim, actor=Actor(member.user), declared_share=demo.share)
                elif step == ClaimStatus.WITHDRAWN:
                    claim = claim_transition(claim=claim, to=step, actor=Actor(member.user))
                else:
                    final = step == demo.steps[-1]
                    claim = claim_transition(
                        claim=claim,
                        to=step,
                        actor=verifier,
                        message=demo.message if final else "",
                        reason=demo.reason if final else "",
                    )
        states = sorted(set(Claim.objects.filter(member__user__email__in=UNION_OF).values_list("status", flat=True)))
    lines.append(f"Demo claims: {Claim.objects.count()} claims in these states: {', '.join(states)}.")
    return lines


def load_demo_pools(*, issued_by_email: str) -> list[str]:
    """One issued pool with its statements rendered, and a second pool ready to issue (once)."""

    if ResidualPool.objects.exists():
        return []
    subtitles = TrainingSet.objects.filter(name="SubtitleCorpus-XL").first()
    if subtitles is None:
        return []
    staff = User.objects.get(email=issued_by_email)
    weights = {"performer": Decimal("40"), "writer": Decimal("40"), "crew": Decimal("20")}
    first = pool_create(
        data=PoolDetails(
            payer="Northwind AI",
            training_sets=[subtitles],
            period_start=date(2026, 1, 1),
            period_end=date(2026, 6, 30),
            gross_amount=Decimal("25000.00"),
            currency="USD",
            admin_fee_percent=Decimal("5"),
            payment_threshold=Decimal("10.00"),
            category_weights=weights,
        ),
        created_by=staff,
    )
    first = pool_issue(pool=first, issued_by=staff)
    # pool_issue starts the run after commit; starting it here too is idempotent and does not
    # depend on being outside a transaction.
    run = statement_run_start(pool=first, started_by=staff)
    for statement in Statement.objects.filter(run=run):
        statement_render(statement_id=statement.pk)
    run_finish_if_complete(run)
    pool_create(
        data=PoolDetails(
            payer="Northwind AI",
            training_sets=[subtitles],
            period_start=date(2026, 7, 1),
            period_end=date(2026, 9, 30),
            gross_amount=Decimal("8400.00"),
            currency="USD",
            admin_fee_percent=Decimal("5"),
            payment_threshold=Decimal("10.00"),
            category_weights=weights,
        ),
        created_by=staff,
    )
    done = Statement.objects.filter(run=run, status="done").count()
    return [f"Demo residual pools: one issued with {done} statements ready to download, one ready to issue."]
