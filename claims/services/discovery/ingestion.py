"""Loading a manifest: upload, a streamed Celery job with progress and cancel, atomic switch-over.

The job reads the file in chunks (bounded memory whatever its size), writes
entries with PostgreSQL COPY (bulk_create on SQLite), lists every bad row with
its number and reason, and only when the whole file has loaded makes the new
manifest the training set's current one, in one transaction. Until then
members keep seeing the previous version.
"""

import copy
import hashlib
import itertools
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F

from claims.enums import ManifestStatus
from claims.listings.files import (
    ManifestFileError,
    ManifestRow,
    is_plausible_year,
    open_binary,
    parse_year,
    read_manifest,
)
from claims.listings.rows import record_from_row
from claims.matching import stored_keys
from claims.models import Manifest, ManifestEntry, ManifestRejection, TrainingSet
from claims.services.discovery.manifests import manifest_transition
from members.identifiers import detect_and_normalize, is_clean_imdb_id
from members.models import User
from portal.celery import task

logger = logging.getLogger(__name__)

CHUNK_ROWS = 5_000
ENTRY_COLUMNS = [
    "manifest_id",
    "row_number",
    "raw_title",
    "title",
    "alternate_titles",
    "year",
    "creators",
    "imdb_id",
    "isbn",
    "eidr",
    "series",
    "season",
    "episode",
    "extra",
    "search_text",
    "match_keys",
    "fingerprint",
]


# What staff see on a manifest that did not load.
CANCELLED = "Cancelled by staff; nothing was changed."
INTERNAL_ERROR = (
    "The load stopped because of an internal error; nothing was changed. The details are in the server log."
)


class IngestCancelled(Exception):
    """The load was cancelled, or taken over by a newer attempt: the job stops (control flow, not a refusal)."""


OnProgress = Callable[[Manifest], None]  # called with the manifest, refreshed, after each chunk


@dataclass(slots=True)
class Progress:
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0


def manifest_upload(
    *, training_set: TrainingSet, upload: "File[bytes]", uploaded_by: User | None, queue: bool = True
) -> Manifest:
    """Store the file privately and queue the load once the row is committed."""
    manifest = Manifest(
        training_set=training_set,
        original_name=(upload.name or "")[:255],
        file_size=upload.size,
        uploaded_by=uploaded_by,
    )
    manifest.file.save("upload", upload, save=False)
    manifest.save()
    if queue:
        task("claims.manifest_ingest").delay_on_commit(manifest_id=manifest.pk)
    return manifest


def manifest_request_cancel(*, manifest: Manifest) -> bool:
    """Cancel a load that is still queued or loading, at once, whether or not a worker is running it.

    A running job finds its manifest cancelled after the current chunk, stops and removes what it
    loaded; members never saw any of it. True if the manifest was still queued or loading.
    """
    # The job may move the manifest (queued -> loading, or a restart) between the read and the update.
    for _attempt in range(3):
        current = Manifest.objects.filter(
            pk=manifest.pk, status__in=[ManifestStatus.QUEUED, ManifestStatus.LOADING]
        ).first()
        if current is None:
            return False
        if manifest_transition(manifest=current, to=ManifestStatus.CANCELLED, cancel_requested=True, error=CANCELLED):
            manifest.refresh_from_db()
            return True
    return False


def entry_fingerprint(
    *,
    title_key: str,
    year: int | None,
    identifiers: Mapping[str, str],
    series: str,
    season: int | None,
    episode: int | None,
    creators_key: str,
) -> str:
    ids = ",".join([f"{k}={v}" for k, v in sorted(identifiers.items())]) if identifiers else ""
    canonical = "\x1f".join([title_key, str(year), ids, series, str(season), str(episode), creators_key])
    return hashlib.sha256(canonical.encode()).hexdigest()


def _int_or_none(value: str | None) -> int | None:
    """A season or episode number; the reader hands values stripped, and empty ones not at all."""
    return int(value) if value and value.isdigit() and len(value) <= 6 else None


def entry_values(manifest_id: int, row: ManifestRow) -> tuple[Any, ...] | str:
    """The database row for one manifest row, or the reason it is rejected."""
    values = row.values
    get = values.get
    year, problem = parse_year(get("year", ""))
    if problem:
        return problem
    identifiers: dict[str, str] = {}
    extra = row.extra
    for raw in row.identifiers:
        if is_clean_imdb_id(raw):  # the common case, without the general detection
            identifiers.setdefault("imdb_id", raw.lower())
            continue
        try:
            scheme, value = detect_and_normalize(raw)
            identifiers.setdefault(scheme, value)
        except ValidationError:
            # A malformed identifier does not make the entry unusable: keep it as written.
            extra.setdefault("unrecognised identifier", raw)
    series_imdb = get("series_imdb")
    if is_clean_imdb_id(series_imdb):
        identifiers["series_imdb_id"] = series_imdb.lower()
    record = record_from_row(
        title=values["title"],
        year=year,
        creators=get("creators", ""),
        identifiers=identifiers,
        series=get("series", ""),
        season=_int_or_none(get("season")),
        episode=_int_or_none(get("episode")),
    )
    if record.year is not None and not is_plausible_year(record.year):
        return f"year {record.year} is not a plausible year"
    keys = record.keys
    assert keys is not None  # record_from_row computes them
    fingerprint = entry_fingerprint(
        title_key=keys["title_key"],
        year=record.year,
        identifiers=record.identifiers,
        series=keys.get("series_key", ""),
        season=record.season,
        episode=record.episode,
        creators_key=keys.get("creators_key", ""),
    )
    found = record.identifiers
    return (
        manifest_id,
        row.row_number,
        values["title"][:1000],
        record.title[:1000],
        _dumps(list(record.alternate_titles)) if record.alternate_titles else "[]",
        record.year,
        "; ".join(record.creators)[:1000],
        found.get("imdb_id", ""),
        found.get("isbn", ""),
        found.get("eidr", ""),
        (record.series or "")[:500],
        record.season,
        record.episode,
        _dumps(extra) if extra else "{}",
        keys["search_text"],
        stored_keys(keys),
        fingerprint,
    )


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@contextmanager
def _entry_writer() -> Iterator[Callable[[tuple[Any, ...]], None]]:
    """A function that stores one entry's values, and stores them all by the end of the block.

    On PostgreSQL each row goes into an open COPY as soon as it is made: the server stores
    one row while the next is parsed (two processes, two cores), instead of parsing a whole
    chunk and then waiting for the server to store it. COPY is ~15x faster than INSERTs for
    this many rows, and psycopg adapts the rows in C.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY claims_manifestentry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
                yield copy.write_row
        return
    rows: list[tuple[Any, ...]] = []
    yield rows.append
    objects = []
    for row in rows:
        data = dict(zip(ENTRY_COLUMNS, row, strict=True))
        for name in ("alternate_titles", "extra"):
            data[name] = json.loads(data[name])
        objects.append(ManifestEntry(**data))
    ManifestEntry.objects.bulk_create(objects, batch_size=1000)


def _load_chunk(manifest: Manifest, chunk: Iterable[ManifestRow], progress: Progress) -> None:
    rejections, loaded = [], 0
    with transaction.atomic():
        with _entry_writer() as write_entry:
            for row in chunk:
                progress.rows_read += 1
                result = row.error or entry_values(manifest.pk, row)
                if isinstance(result, str):
                    excerpt = row.excerpt or " | ".join(value for value in row.values.values() if value)
                    rejections.append(
                        ManifestRejection(
                            manifest=manifest, row_number=row.row_number, reason=result[:300], excerpt=excerpt[:300]
                        )
                    )
                else:
                    write_entry(result)
                    loaded += 1
        ManifestRejection.objects.bulk_create(rejections, batch_size=1000)
    progress.rows_loaded += loaded
    progress.rows_rejected += len(rejections)


def manifest_ingest(*, manifest_id: int, on_progress: OnProgress | None = None) -> Manifest | None:
    """Load the manifest's file. Idempotent: a redelivered or restarted job starts the load again cleanly.

    The load never sticks: a file that cannot be loaded ends FAILED with the reason staff see, anything
    unexpected ends FAILED too (and is logged), and a cancel ends CANCELLED. None if the manifest was
    not waiting to load (finished, cancelled, or just taken by another delivery).
    """
    manifest = (
        Manifest.objects.select_related("training_set")
        .filter(pk=manifest_id, status__in=[ManifestStatus.QUEUED, ManifestStatus.LOADING])
        .first()
    )
    if manifest is None or not manifest_transition(
        manifest=manifest,
        to=ManifestStatus.LOADING,
        attempts=F("attempts") + 1,
        bytes_read=0,
        rows_read=0,
        rows_loaded=0,
        rows_rejected=0,
        error="",
    ):
        return None
    progress = Progress()
    try:
        # A previous attempt may have died half-way: start from a clean slate.
        ManifestEntry.objects.filter(manifest=manifest).delete()
        ManifestRejection.objects.filter(manifest=manifest).delete()
        _stream_into_database(manifest, progress, on_progress)
        _activate(manifest, progress)
    except IngestCancelled:
        _finish(manifest, ManifestStatus.CANCELLED, progress, error=CANCELLED)
    except ManifestFileError as error:
        _finish(manifest, ManifestStatus.FAILED, progress, error=error.message)
    except Exception:
        logger.exception("manifest %s: the load stopped", manifest.pk)
        _finish(manifest, ManifestStatus.FAILED, progress, error=INTERNAL_ERROR)
    manifest.refresh_from_db()
    return manifest


def _stream_into_database(manifest: Manifest, progress: Progress, on_progress: OnProgress | None = None) -> None:
    started = time.monotonic()
    with manifest.file.open("rb") as raw:
        counter, binary = open_binary(raw)
        columns: dict[str, Any] = {}
        try:
            rows = read_manifest(binary, name=manifest.original_name, columns_out=columns)
            for chunk in itertools.batched(rows, CHUNK_ROWS):
                _load_chunk(manifest, chunk, progress)
                if progress.rows_read > settings.MANIFEST_MAX_ENTRIES:
                    raise ManifestFileError(
                        f"The file has more than {settings.MANIFEST_MAX_ENTRIES:,} entries; split it into parts."
                    )
                _save_progress(manifest, progress, counter.bytes_read, columns)
                if on_progress:
                    # A fresh copy: the job's own keeps the state it owns, for its last move.
                    on_progress(Manifest.objects.get(pk=manifest.pk))
        except (EOFError, OSError) as error:
            # A truncated or corrupt gzip stream.
            raise ManifestFileError(f"The file could not be read to the end ({error}).") from None
    logger.info("manifest %s: %s rows in %.1f s", manifest.pk, progress.rows_read, time.monotonic() - started)


def _save_progress(manifest: Manifest, progress: Progress, bytes_read: int, columns: dict[str, Any]) -> None:
    """Record progress while this attempt still owns the load; a cancel (or a newer attempt after
    this worker was given up for dead) stops the job here."""
    owned = Manifest.objects.filter(pk=manifest.pk, status=ManifestStatus.LOADING, attempts=manifest.attempts)
    if not owned.update(
        bytes_read=bytes_read,
        rows_read=progress.rows_read,
        rows_loaded=progress.rows_loaded,
        rows_rejected=progress.rows_rejected,
        columns=columns,
    ):
        raise IngestCancelled


def _counts(manifest: Manifest, progress: Progress) -> dict[str, Any]:
    return {
        "rows_read": progress.rows_read,
        "rows_loaded": progress.rows_loaded,
        "rows_rejected": progress.rows_rejected,
        "bytes_read": manifest.file_size,
    }


def _finish(manifest: Manifest, status: str, progress: Progress, error: str) -> None:
    """End a load that did not become current, and remove the entries it wrote.

    If staff cancelled it meanwhile, it stays cancelled; if a newer attempt owns it, that attempt's
    entries are left alone.
    """
    manifest_transition(manifest=manifest, to=status, error=error, **_counts(manifest, progress))
    if Manifest.objects.filter(pk=manifest.pk, status__in=[ManifestStatus.CANCELLED, ManifestStatus.FAILED]).exists():
        ManifestEntry.objects.filter(manifest=manifest).delete()


def _activate(manifest: Manifest, progress: Progress) -> None:
    """Make the loaded manifest current and the previous one superseded, in one transaction.

    The conditional update to ACTIVE decides a race with a cancel: whichever comes second finds
    the manifest moved on (a cancel then reports the load finished; the load raises IngestCancelled).
    """
    # A copy moves: if the transaction rolls back, the job's own still says what it owns, for _finish.
    moving = copy.copy(manifest)
    with transaction.atomic():
        training_set = TrainingSet.objects.select_for_update().get(pk=manifest.training_set_id)
        if not manifest_transition(manifest=moving, to=ManifestStatus.ACTIVE, error="", **_counts(manifest, progress)):
            raise IngestCancelled
        previous_id = training_set.current_manifest_id
        if previous_id and previous_id != manifest.pk:
            previous = Manifest.objects.get(pk=previous_id)
            if not manifest_transition(manifest=previous, to=ManifestStatus.SUPERSEDED):
                raise RuntimeError(f"manifest {previous_id} changed while it was being superseded")
        training_set.current_manifest = manifest
        training_set.save(update_fields=["current_manifest", "updated_at"])
