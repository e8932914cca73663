"""Reads for verifiers: the queue with its filters and sorts, the review page, the dashboard.

Everything starts from `claims_visible_to_staff`, so a verifier for IATSE never sees a WGA
member's claim here, in the export or in the numbers; a superuser sees all.
"""

import statistics
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from claims.enums import ACTIVE_CLAIM_STATES, ClaimStatus, MatchMethod
from claims.models import Claim, ClaimEvent, Evidence, Match
from claims.rules import (
    ALLOWED_TRANSITIONS,
    SINGLE_HOLDER_JOBS,
    STAFF,
    claims_visible_to_staff,
    has_conflict_of_interest,
    verifier_union_ids,
)
from members.models import Membership, Union, User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _QueueAnnotations(TypedDict):
        has_conflict: bool
        evidence_count: int

    # A claim as the queue lists it (the page and the CSV export read both annotations).
    QueueClaim = WithAnnotations[Claim, _QueueAnnotations]

S = ClaimStatus
# Claims someone still has to act on (the member, for "needs information").
OPEN_STATES = [S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.DISPUTED]
# Claims waiting for a verifier.
WAITING_STATES = [S.SUBMITTED, S.IN_REVIEW, S.DISPUTED]
SORT_OLDEST, SORT_STRONGEST = "oldest", "strongest"
SORTS = [(SORT_OLDEST, "Oldest first"), (SORT_STRONGEST, "Strongest match first")]
# Verifier actions: the state they start from and the state they lead to. "take" and "reopen"
# both lead to "in review" but from different states, so a stale click never does the other one.
ACTIONS: dict[str, tuple[set[str], str]] = {
    "take": ({S.SUBMITTED}, S.IN_REVIEW),
    "verify": ({S.IN_REVIEW, S.DISPUTED}, S.VERIFIED),
    "reject": ({S.IN_REVIEW, S.DISPUTED}, S.REJECTED),
    "needs_info": ({S.IN_REVIEW}, S.NEEDS_INFO),
    "dispute": ({S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.VERIFIED}, S.DISPUTED),
    "reopen": ({S.VERIFIED, S.REJECTED}, S.IN_REVIEW),
}
BULK_VERIFY_STATES = [S.SUBMITTED, S.IN_REVIEW]
TEXT_EVIDENCE_SHOWN = 20_000  # characters of a text file shown inline; the rest is in the download


def actions_from(status: str) -> list[str]:
    """The verifier actions the transition table allows from this state, in page order."""
    return [
        name
        for name, (sources, to) in ACTIONS.items()
        if status in sources and ALLOWED_TRANSITIONS.get((status, to)) == STAFF
    ]


def unions_for_verifier(*, user: User) -> QuerySet[Union]:
    """The unions and locals a verifier can filter by: their own (all for a superuser)."""
    unions = Union.objects.select_related("parent")
    return unions if user.is_superuser else unions.filter(pk__in=verifier_union_ids(user))


def staff_claims(*, user: User) -> QuerySet[Claim]:
    """The claims this staff user may see, as a plain queryset (no DISTINCT) that filters and
    annotations can build on."""
    return Claim.objects.filter(pk__in=claims_visible_to_staff(user).values("pk"))


def _conflicting_claims(outer: str = "pk") -> QuerySet[Claim]:
    """Another member's live claim on the same work and set, for the same one-person job."""
    return (
        Claim.objects.filter(
            training_set_id=OuterRef("training_set_id"),
            credit__work_id=OuterRef("credit__work_id"),
            credit__job=OuterRef("credit__job"),
            credit__job__in=SINGLE_HOLDER_JOBS,
            status__in=ACTIVE_CLAIM_STATES,
        )
        .exclude(pk=OuterRef(outer))
        .exclude(member_id=OuterRef("member_id"))
    )


@dataclass(frozen=True)
class QueueFilters:
    union: Union | None = None
    training_set_id: int | None = None
    status: str = ""  # "" = every open claim, "any" = every state
    min_age_days: int | None = None
    conflicts: str = ""  # "", "yes", "no"
    evidence: str = ""  # "", "yes", "no"
    method: str = ""
    min_score: int | None = None
    assigned: str = ""  # "", "me", "nobody"
    sort: str = SORT_OLDEST


def verification_queue(*, user: User, filters: QueueFilters = QueueFilters()) -> "QuerySet[QueueClaim]":
    """The verifier's queue, filtered and sorted as on screen (the CSV export uses it too).

    Sorting by "expected value": there is no money attached to claims yet (residual pools come
    later), so the proxy is match strength: the best match score, strongest first, then the
    oldest. The page calls it what it is: "Strongest match first".
    """
    claims = (
        staff_claims(user=user)
        .annotate(
            has_conflict=Exists(_conflicting_claims()),
            evidence_count=Count("evidence", distinct=True),
        )
        .select_related("member__user", "credit__work", "training_set", "assigned_to")
        .prefetch_related(
            Prefetch("member__memberships", queryset=Membership.objects.select_related("union")),
            "member__professional_names",
        )
    )
    if filters.status == "any":
        pass
    elif filters.status:
        claims = claims.filter(status=filters.status)
    else:
        claims = claims.filter(status__in=OPEN_STATES)
    if filters.union is not None:
        # A union covers its locals: "IATSE" finds Local 600 members too.
        union_ids = [filters.union.pk, *Union.objects.filter(parent=filters.union).values_list("pk", flat=True)]
        claims = claims.filter(member__in=Membership.objects.filter(union_id__in=union_ids).values("member_id"))
    if filters.training_set_id:
        claims = claims.filter(training_set_id=filters.training_set_id)
    if filters.min_age_days:
        claims = claims.filter(submitted_at__lte=timezone.now() - timedelta(days=filters.min_age_days))
    if filters.conflicts == "yes":
        claims = claims.filter(has_conflict=True)
    elif filters.conflicts == "no":
        claims = claims.filter(has_conflict=False)
    if filters.evidence:
        with_evidence = Exists(Evidence.objects.filter(claim_id=OuterRef("pk")))
        claims = claims.filter(with_evidence if filters.evidence == "yes" else ~with_evidence)
    if filters.method:
        claims = claims.filter(best_method=filters.method)
    if filters.min_score is not None:
        claims = claims.filter(best_score__gte=filters.min_score)
    if filters.assigned == "me":
        claims = claims.filter(assigned_to=user)
    elif filters.assigned == "nobody":
        claims = claims.filter(assigned_to__isnull=True)
    if filters.sort == SORT_STRONGEST:
        return claims.order_by(F("best_score").desc(nulls_last=True), "submitted_at", "pk")
    return claims.order_by("submitted_at", "pk")


def bulk_verify_candidates(*, user: User) -> list[Claim]:
    """Claims that bulk verify would verify: matched by identifier or with a score of 100,
    submitted or in review, visible to this verifier and not a conflict of interest for them."""
    claims = (
        staff_claims(user=user)
        .filter(status__in=BULK_VERIFY_STATES)
        .filter(Q(best_method=MatchMethod.IDENTIFIER) | Q(best_score=100))
        .select_related("member__user", "credit__work", "training_set", "assigned_to")
        .prefetch_related("member__professional_names")
        .order_by("submitted_at", "pk")
    )
    profile = getattr(user, "profile", None)
    if profile is not None:
        own_works = Claim.objects.filter(member=profile).values("credit__work_id")
        claims = claims.exclude(member=profile).exclude(credit__work_id__in=own_works)
    return list(claims)


# The review page


@dataclass
class EvidenceShown:
    evidence: Evidence
    text: str = ""
    truncated: bool = False

    @property
    def is_image(self) -> bool:
        return self.evidence.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.evidence.content_type == "application/pdf"

    @property
    def is_text(self) -> bool:
        return self.evidence.content_type == "text/plain"


@dataclass
class RivalClaim:
    claim: Claim
    visible: bool
    conflict: bool


@dataclass
class ClaimReview:
    claim: Claim
    memberships: list[Membership]
    entries: list[dict[str, Any]]
    evidence: list[EvidenceShown]
    events: list[ClaimEvent]
    own_other_claims: list[Claim]
    others_on_work: list[RivalClaim]
    conflict_of_interest: str
    actions: list[str] = field(default_factory=list)

    @property
    def has_conflicts(self) -> bool:
        return any(rival.conflict for rival in self.others_on_work)


def _read_text(evidence: Evidence) -> tuple[str, bool]:
    try:
        with evidence.file.open("rb") as handle:
            data = handle.read(TEXT_EVIDENCE_SHOWN * 4 + 1)
    except OSError:
        return "(The file could not be read.)", False
    text = data.decode("utf-8", errors="replace")
    return text[:TEXT_EVIDENCE_SHOWN], len(text) > TEXT_EVIDENCE_SHOWN or len(data) > TEXT_EVIDENCE_SHOWN * 4


def _conflicts(claim: Claim, rival: Claim) -> bool:
    """Two live claims in one set to the same one-person job on the work (two directors of
    photography): one of them is wrong. The same rule as `_conflicting_claims`."""
    return (
        rival.training_set_id == claim.training_set_id
        and rival.credit.job == claim.credit.job
        and claim.credit.job in SINGLE_HOLDER_JOBS
        and rival.status in ACTIVE_CLAIM_STATES
        and claim.status in ACTIVE_CLAIM_STATES
    )


def conflict_of_interest_reason(*, user: User, claim: Claim) -> str:
    """Why this verifier may not decide the claim, in plain words; '' when they may."""
    if not has_conflict_of_interest(user, claim):
        return ""
    profile = getattr(user, "profile", None)
    if profile is not None and claim.member_id == profile.pk:
        return "This is your own claim. Another verifier must decide it."
    return "You claim this work yourself. Another verifier must decide claims on it."


def claim_review(*, user: User, claim_id: int) -> ClaimReview:
    """Everything a verifier needs to decide one claim. Raises Claim.DoesNotExist if the claim
    is not visible to this staff user."""
    claim = (
        staff_claims(user=user)
        .select_related("member__user", "credit__work", "training_set", "assigned_to")
        .prefetch_related("member__professional_names")
        .get(pk=claim_id)
    )
    memberships = list(claim.member.memberships.select_related("union__parent"))
    matches = {
        match.entry_id: match for match in Match.objects.filter(credit=claim.credit, entry__in=claim.entries.all())
    }
    entries = [
        {"entry": entry, "match": matches.get(entry.pk)}
        for entry in claim.entries.select_related("manifest").order_by("manifest_id", "row_number")
    ]
    evidence = []
    for item in claim.evidence.select_related("uploaded_by", "event"):
        shown = EvidenceShown(item)
        if shown.is_text:
            shown.text, shown.truncated = _read_text(item)
        evidence.append(shown)
    events = list(claim.events.select_related("actor"))
    own_other = list(
        Claim.objects.filter(member=claim.member, credit__work=claim.credit.work)
        .exclude(pk=claim.pk)
        .exclude(status=S.DRAFT)
        .select_related("credit", "training_set")
        .order_by("training_set__name")
    )
    visible_ids = set(staff_claims(user=user).filter(credit__work=claim.credit.work).values_list("pk", flat=True))
    rivals = (
        Claim.objects.filter(credit__work=claim.credit.work)
        .exclude(member=claim.member)
        .exclude(status=S.DRAFT)
        .select_related("member__user", "credit", "training_set")
        .prefetch_related("member__professional_names")
        .order_by("training_set__name", "credit__job", "submitted_at")
    )
    others = [
        RivalClaim(
            claim=rival,
            visible=rival.pk in visible_ids,
            conflict=_conflicts(claim, rival),
        )
        for rival in rivals
    ]
    reason = conflict_of_interest_reason(user=user, claim=claim)
    return ClaimReview(
        claim=claim,
        memberships=memberships,
        entries=entries,
        evidence=evidence,
        events=events,
        own_other_claims=own_other,
        others_on_work=others,
        conflict_of_interest=reason,
        actions=[] if reason else actions_from(claim.status),
    )


def staff_evidence(*, user: User, claim_id: int, evidence_id: int) -> Evidence:
    """One evidence file, only if its claim is visible to this staff user (else DoesNotExist)."""
    return Evidence.objects.get(pk=evidence_id, claim__in=staff_claims(user=user).filter(pk=claim_id))


# The dashboard


@dataclass
class Dashboard:
    states: list[tuple[str, str]]
    open_by_union: list[dict[str, Any]]
    open_totals: dict[str, int]
    open_total: int
    median_days_to_decision: float | None
    decisions_counted: int
    oldest_waiting: Claim | None
    per_verifier: list[dict[str, Any]]


def verification_dashboard(*, user: User, days: int = 30) -> Dashboard:
    """Open claims by state and union, how long decisions take, the oldest waiting claim, and
    how much each verifier holds and has decided (all within what this user may see)."""
    now = timezone.now()
    since = now - timedelta(days=days)
    visible = staff_claims(user=user)
    scope = None if user.is_superuser else verifier_union_ids(user)

    memberships = Membership.objects.filter(member__claims__in=visible.filter(status__in=OPEN_STATES))
    if scope is not None:
        memberships = memberships.filter(union_id__in=scope)
    counts = (
        memberships.values("union__short_name", "member__claims__status")
        .annotate(n=Count("member__claims", distinct=True))
        .order_by("union__short_name")
    )
    by_union: dict[str, dict[str, int]] = {}
    for row in counts:
        by_union.setdefault(row["union__short_name"], {})[row["member__claims__status"]] = row["n"]
    open_by_union = [
        {
            "union": name,
            "counts": [by_union[name].get(state, 0) for state in OPEN_STATES],
            "total": sum(by_union[name].values()),
        }
        for name in sorted(by_union)
    ]
    totals = dict(visible.filter(status__in=OPEN_STATES).values_list("status").annotate(n=Count("pk")).order_by())

    # Median computed in Python: a few hundred durations a month, and portable across databases.
    durations = [
        (decided - submitted).total_seconds() / 86400
        for decided, submitted in visible.filter(
            decided_at__gte=since,
            submitted_at__isnull=False,
            status__in=[S.VERIFIED, S.REJECTED],
        ).values_list("decided_at", "submitted_at")
        if decided is not None and submitted is not None  # the filter has both set; for the types
    ]
    oldest = (
        visible.filter(status__in=WAITING_STATES, submitted_at__isnull=False)
        .select_related("member__user", "credit__work", "training_set")
        .order_by("submitted_at", "pk")
        .first()
    )

    per_verifier: dict[int, dict[str, Any]] = {}

    def row_for(user_id: int, email: str) -> dict[str, Any]:
        return per_verifier.setdefault(user_id, {"email": email, "in_review": 0, "verified": 0, "rejected": 0})

    for user_id, email, n in (
        visible.filter(status__in=[S.IN_REVIEW, S.DISPUTED], assigned_to__isnull=False)
        .values_list("assigned_to_id", "assigned_to__email")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row_for(user_id, email)["in_review"] = n
    for user_id, email, to_status, n in (
        ClaimEvent.objects.filter(
            claim__in=visible,
            created_at__gte=since,
            actor_is_staff=True,
            actor__isnull=False,
            to_status__in=[S.VERIFIED, S.REJECTED],
        )
        .values_list("actor_id", "actor__email", "to_status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row_for(user_id, email)[to_status] = n
    return Dashboard(
        states=[(state.value, state.label) for state in OPEN_STATES],
        open_by_union=open_by_union,
        open_totals={state.value: totals.get(state.value, 0) for state in OPEN_STATES},
        open_total=sum(totals.values()),
        median_days_to_decision=statistics.median(durations) if durations else None,
        decisions_counted=len(durations),
        oldest_waiting=oldest,
        per_verifier=sorted(per_verifier.values(), key=lambda row: row["email"]),
    )
