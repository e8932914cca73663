"""Discovery: run the matching engine over the database and tell members what was found.

`manifest_match` matches every credit against a newly loaded manifest;
`credits_match` matches some credits (new or edited) against every current
manifest. Both store matches idempotently (one row per credit and entry),
carry members' earlier decisions over by entry fingerprint, and email each
member once per training set about matches they have not been told of.
"""

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from claims.enums import MatchStatus
from claims.matching import (
    DISPLAY_THRESHOLD,
    CreditRecord,
    EntryIndex,
    ManifestRecord,
    MatchResult,
    keys_from_stored,
)
from claims.models import Manifest, ManifestEntry, Match, MatchDecision, TrainingSet
from members.models import Credit, ProfessionalName
from members.titles import title_key
from portal.emails import email_send_once

logger = logging.getLogger(__name__)

CHUNK = 10_000
# A single credit is matched against entries that share its longest title word: the
# trigram index finds those fast even in a manifest of millions.
PREFILTER_LIMIT = 20_000
# Matches for more credits than this are stored by looking up the set's decisions as a whole (see _store).
MANY_CREDITS = 1_000


ENTRY_SQL = (
    "SELECT id, title, alternate_titles, year, creators, imdb_id, isbn, eidr, series, season, episode, match_keys "
    "FROM claims_manifestentry WHERE {where}"
)


def entry_records(*, manifest_id: int, entry_ids: list[int] | None = None) -> Iterator[ManifestRecord]:
    """ManifestRecords rebuilt from stored rows and their stored keys (no title parsing).

    Read with plain SQL rather than the ORM: for a million entries that is about 3 µs a row
    instead of 12. Streamed (see _streamed_rows): make no other query until the last record.
    """
    where = "manifest_id = %s"
    params: list[Any] = [manifest_id]
    if entry_ids is not None:
        where += (
            " AND id = ANY(%s)"
            if connection.vendor == "postgresql"
            else f" AND id IN ({', '.join('%s' for _ in entry_ids)})"
        )
        params += [entry_ids] if connection.vendor == "postgresql" else entry_ids
    loads = json.JSONDecoder().decode
    for pk, title, alternates, year, creators, imdb_id, isbn, eidr, series, season, episode, keys in _streamed_rows(
        ENTRY_SQL.format(where=where), params
    ):
        # An entry stored without keys has them worked out again by the index.
        keys = keys_from_stored(keys) if keys else None
        if isinstance(alternates, str):
            alternates = () if alternates == "[]" else loads(alternates)
        identifiers = {}
        if imdb_id:
            identifiers["imdb_id"] = imdb_id
        if isbn:
            identifiers["isbn"] = isbn
        if eidr:
            identifiers["eidr"] = eidr
        if keys and "series_imdb_id" in keys:
            identifiers["series_imdb_id"] = keys["series_imdb_id"]
        yield ManifestRecord(
            entry_id=pk,
            title=title,
            alternate_titles=alternates,
            year=year,
            creators=creators.split("; ") if creators else (),
            identifiers=identifiers,
            series=series,
            season=season,
            episode=episode,
            medium=keys.get("medium", "") if keys else "",
            keys=keys,
        )


def _streamed_rows(sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    """The query's rows, read in chunks without holding them all.

    On PostgreSQL the rows are streamed: the server sends them as fast as it makes them while
    the caller works on the ones already here. A server-side cursor makes it wait for each FETCH
    instead, about 1.5 s of waiting over a million entries. The connection is busy until the
    last row is read: a query in between would wait for it forever (psycopg holds the
    connection's lock while it streams).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            yield from cursor.cursor.stream(sql, params, size=CHUNK)
        return
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


CREDIT_FIELDS = [
    "pk",
    "member_id",
    "category",
    "job",
    "work__title",
    "work__alternate_titles",
    "work__year",
    "work__work_type",
    "work__series_title",
    "work__season",
    "work__episode",
    "work__imdb_id",
    "work__isbn",
    "work__eidr",
    "work__isan",
    "member__legal_name",
]


def credit_records(credits: QuerySet[Credit]) -> Iterator[CreditRecord]:
    """CreditRecords with each member's legal and professional names (plain values, no model objects:
    200,000 credits are read in a couple of seconds)."""
    names: dict[int, list[str]] = defaultdict(list)
    member_ids = credits.values("member_id")
    for member_id, name in ProfessionalName.objects.filter(profile_id__in=member_ids).values_list("profile_id", "name"):
        names[member_id].append(name)
    # Unordered: sorting 200,000 wide rows by the model's default ordering took the server seconds.
    rows = credits.order_by().values_list(*CREDIT_FIELDS).iterator(chunk_size=CHUNK)
    for (
        pk,
        member_id,
        category,
        job,
        title,
        alternates,
        year,
        work_type,
        series_title,
        season,
        episode,
        imdb_id,
        isbn,
        eidr,
        isan,
        legal_name,
    ) in rows:
        identifiers = {
            scheme: value
            for scheme, value in (("imdb_id", imdb_id), ("isbn", isbn), ("eidr", eidr), ("isan", isan))
            if value
        }
        member_names = [legal_name, *names.get(member_id, ())] if legal_name else names.get(member_id, [])
        yield CreditRecord(
            credit_id=pk,
            member_id=member_id,
            title=title,
            alternate_titles=tuple(alternates),
            year=year,
            work_type=work_type,
            series_title=series_title,
            season=season,
            episode=episode,
            identifiers=identifiers,
            member_names=tuple(member_names),
            category=category,
            job=job,
        )


def _store(training_set: TrainingSet, results: Iterable[MatchResult]) -> int:
    """Insert matches not stored yet; keep existing rows (and members' answers) as they are."""
    results = list(results)
    if not results:
        return 0
    entry_ids = {result.entry_id for result in results}
    fingerprints = dict(ManifestEntry.objects.filter(pk__in=entry_ids).values_list("pk", "fingerprint"))
    credit_ids = {result.credit_id for result in results}
    # A whole match run finds tens of thousands of credits: reading all the set's decisions and
    # notified matches is then cheaper than sending every credit id with the query (~1.5 s).
    of_credits = {"credit_id__in": credit_ids} if len(credit_ids) <= MANY_CREDITS else {}
    decisions = {
        (credit_id, fingerprint): decision
        for credit_id, fingerprint, decision in MatchDecision.objects.filter(
            training_set=training_set, **of_credits
        ).values_list("credit_id", "entry_fingerprint", "decision")
    }
    # The same listing line in an earlier version of the manifest: the member was told already.
    already_told = set(
        Match.objects.filter(training_set=training_set, notified_at__isnull=False, **of_credits).values_list(
            "credit_id", "entry__fingerprint"
        )
    )
    now = timezone.now()
    rows = []
    for result in results:
        seen = (result.credit_id, fingerprints[result.entry_id])
        rows.append(
            (
                result.credit_id,
                result.entry_id,
                training_set.pk,
                result.score,
                result.method,
                result.reason,
                decisions.get(seen, MatchStatus.NEW),
                now,
                now if seen in already_told else None,
            )
        )
    return _insert_matches(rows)


MATCH_COLUMNS = [
    "credit_id",
    "entry_id",
    "training_set_id",
    "score",
    "method",
    "reason",
    "status",
    "found_at",
    "notified_at",
]


def _insert_matches(rows: list[tuple[Any, ...]]) -> int:
    """Insert match rows (values of MATCH_COLUMNS), skipping pairs of credit and entry stored already.

    Returns how many were new. On PostgreSQL the rows are COPYed into a scratch table and
    inserted from there in one statement (COPY itself cannot skip conflicts): a first match
    run stores ~60,000 matches, which as ORM objects and INSERTs took ~5 s and this way ~0.5 s.
    """
    if connection.vendor != "postgresql":
        created = Match.objects.bulk_create(
            [Match(**dict(zip(MATCH_COLUMNS, row, strict=True))) for row in rows],
            batch_size=2000,
            ignore_conflicts=True,
        )
        return len(created)
    columns = ", ".join(MATCH_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE new_match AS SELECT {columns} FROM claims_match WITH NO DATA")
        with cursor.cursor.copy(f"COPY new_match ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO claims_match ({columns}) SELECT {columns} FROM new_match "
            "ON CONFLICT (credit_id, entry_id) DO NOTHING"
        )
        inserted: int = cursor.rowcount
        cursor.execute("DROP TABLE new_match")
    return inserted


def manifest_match(*, manifest_id: int, notify: bool = True) -> int:
    """Match every member credit against this manifest. Returns the number of matches stored."""
    manifest = Manifest.objects.select_related("training_set").get(pk=manifest_id)
    training_set = manifest.training_set
    index = EntryIndex()
    with index.loading():
        for record in entry_records(manifest_id=manifest.pk):
            index.add(record)
    results = []
    for credit in credit_records(Credit.objects.all()):
        results.extend(index.match(credit, min_score=DISPLAY_THRESHOLD))
    stored = _store(training_set, results)
    Manifest.objects.filter(pk=manifest.pk).update(matched_at=timezone.now())
    logger.info("manifest %s: %s matches (%s new)", manifest.pk, len(results), stored)
    if notify and manifest.pk == TrainingSet.objects.get(pk=training_set.pk).current_manifest_id:
        notify_new_matches(training_set=training_set)
    return len(results)


def _prefilter(manifest: Manifest, credit: Credit) -> Q:
    """Entries worth giving the engine for one credit: same identifier, or sharing a title word."""
    condition = Q()
    for name in ("imdb_id", "isbn", "eidr"):
        value = getattr(credit.work, name)
        if value:
            condition |= Q(**{name: value})
    for title in [credit.work.title, credit.work.series_title, *credit.work.alternate_titles]:
        words = sorted((word for word in title_key(title).split() if len(word) >= 3), key=len, reverse=True)
        if words:
            condition |= Q(search_text__contains=words[0])
    return condition


def credits_match(*, credit_ids: list[int], notify: bool = True) -> int:
    """Match these credits against the current manifest of every training set."""
    credits = list(Credit.objects.filter(pk__in=credit_ids).select_related("work"))
    if not credits:
        return 0
    found = 0
    for training_set in TrainingSet.objects.filter(current_manifest__isnull=False).select_related("current_manifest"):
        manifest = training_set.current_manifest
        if manifest is None:  # excluded by the filter; for the types
            continue
        condition = Q()
        for credit in credits:
            condition |= _prefilter(manifest, credit)
        if not condition:
            continue
        index = EntryIndex()
        candidates = ManifestEntry.objects.filter(Q(manifest=manifest) & condition)[:PREFILTER_LIMIT]
        entry_ids = list(candidates.values_list("pk", flat=True))
        index.add_all(entry_records(manifest_id=manifest.pk, entry_ids=entry_ids))
        results = []
        for record in credit_records(Credit.objects.filter(pk__in=[credit.pk for credit in credits])):
            results.extend(index.match(record, min_score=DISPLAY_THRESHOLD))
        _store(training_set, results)
        found += len(results)
        if notify:
            notify_new_matches(training_set=training_set)
    return found


def notify_new_matches(*, training_set: TrainingSet) -> int:
    """One email per member listing the matches in this set they have not been told about.

    Sent after commit, at most once per match: the email claims the matches' `notified_at` before
    it goes (portal.emails), so two runs can never both send the same news. If sending fails, the
    matches are unmarked again and the error raised: the next run for the set tells the member.
    Returns how many emails were queued.
    """
    manifest_id = training_set.current_manifest_id
    if manifest_id is None:
        return 0  # no listing loaded, so no matches in it
    pending = Match.objects.filter(
        training_set=training_set,
        status=MatchStatus.NEW,
        notified_at__isnull=True,
        entry__manifest_id=manifest_id,
    )
    # One line whatever staff typed: a line break in a header would be refused.
    subject = f"Your work was found in the AI training set “{' '.join(str(training_set).split())}”"
    dashboard_url = settings.PORTAL_BASE_URL + reverse("claims:dashboard")
    queued = 0
    for member_id in list(pending.order_by().values_list("credit__member_id", flat=True).distinct()):
        matches = list(
            pending.filter(credit__member_id=member_id).select_related("credit__work", "credit__member__user", "entry")
        )
        if not matches:
            continue
        member = matches[0].credit.member
        # After commit: the mark must be claimed outside any transaction, and matches stored by a
        # transaction that rolls back were never found. If another run claims some of these
        # matches first, it tells the member and this email is not sent.
        email = partial(
            email_send_once,
            mark=Match.objects.filter(pk__in=[match.pk for match in matches]),
            field="notified_at",
            to=member.user.email,
            subject=subject,
            template="emails/matches_found.txt",
            context={
                "member": member,
                "training_set": training_set,
                "matches": matches,
                "dashboard_url": dashboard_url,
            },
        )
        transaction.on_commit(email)
        queued += 1
    return queued
