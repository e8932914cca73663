"""Discovery at full size against PostgreSQL: manifest ingestion, matching and search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python -m tests.claims.discovery.bench_discovery \
        [--entries 1000000] [--credits 200000]

Works in its own database (the DATABASE_URL's name + "_bench", dropped and created anew).
Generates a synthetic listing (tests.claims.discovery.bench_matching.Synthetic: films, catalogue-style
titles, episodes, Books3 file names) and members' credits, a quarter of them on works the
listing contains. Prints, with this machine's floors beside them:

- reading the CSV with the csv module, and COPY of the same rows into a plain table;
- ingesting the manifest through the real service (parse, normalise, COPY, indexes);
- matching every credit against it (notifications off);
- "is my work in it?" searches on the loaded manifest;
and the peak memory of each stage, each run in its own process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

COLUMNS = ["title", "year", "creators", "identifier", "series", "season", "episode"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_discovery needs DATABASE_URL pointing at PostgreSQL (the targets are PostgreSQL's).")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench"))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


# ------------------------------------------------------------------ stages, each in its own process


def stage_generate(entries: int, credits: int, folder: Path) -> dict:
    """Write the listing CSV and the credits (JSON lines) the other stages use."""
    from tests.claims.discovery.bench_matching import Synthetic

    synthetic = Synthetic(7)
    keep_every = max(1, entries // max(1, credits // 4))
    known = []
    with (folder / "manifest.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(entries):
            row, what = synthetic.entry_row()
            writer.writerow([row.get(column, "") for column in COLUMNS])
            if number % keep_every == 0:
                known.append(what)
    with (folder / "credits.jsonl").open("w") as handle:
        for credit_id in range(credits):
            source = known[credit_id % len(known)] if credit_id % 4 == 0 and known else None
            record = synthetic.credit(credit_id, source)
            handle.write(
                json.dumps(
                    {
                        "member": record.member_id,
                        "name": record.member_names[0],
                        "title": record.title,
                        "year": record.year or random.Random(credit_id).randint(1950, 2024),
                        "work_type": record.work_type,
                        "series": record.series_title,
                        "season": record.season,
                        "episode": record.episode,
                        "job": record.job,
                    }
                )
                + "\n"
            )
    return {"bytes": (folder / "manifest.csv").stat().st_size}


def stage_floors(folder: Path) -> dict:
    """How fast this machine reads the CSV and COPYs the same rows, untouched, into PostgreSQL."""
    django_setup()
    from django.db import connection

    path = folder / "manifest.csv"
    started = time.perf_counter()
    with path.open(newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    read_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE floor_copy (" + ", ".join(f"{c} text" for c in COLUMNS) + ")")
        started = time.perf_counter()
        with path.open(newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            with cursor.cursor.copy(f"COPY floor_copy ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in reader:
                    copy.write_row(row)
        copy_seconds = time.perf_counter() - started
    return {"rows": rows, "read_s": read_seconds, "copy_s": copy_seconds}


def stage_credits(folder: Path) -> dict:
    """Members, works and credits for matching (set-up, not a target: bulk_create in batches)."""
    django_setup()
    from django.contrib.auth.hashers import make_password

    from members.models import Credit, MemberProfile, User, Work
    from members.services.works import work_key

    started = time.perf_counter()
    password = make_password(None)
    records = [json.loads(line) for line in (folder / "credits.jsonl").open()]
    member_ids = sorted({record["member"] for record in records})
    User.objects.bulk_create(
        [User(email=f"bench{member}@example.org", password=password) for member in member_ids], batch_size=5000
    )
    users = dict(User.objects.values_list("email", "pk"))
    names = {record["member"]: record["name"] for record in records}
    MemberProfile.objects.bulk_create(
        [MemberProfile(user_id=users[f"bench{member}@example.org"], legal_name=names[member]) for member in member_ids],
        batch_size=5000,
    )
    profiles = dict(MemberProfile.objects.values_list("user__email", "pk"))
    works: dict[tuple, Work] = {}
    for record in records:
        work_type = record["work_type"] or "feature_film"
        key = work_key(
            title=record["title"],
            work_type=work_type,
            series_title=record["series"] or "",
            season=record["season"],
            episode=record["episode"],
        )
        works.setdefault(
            (work_type, key, record["year"]),
            Work(
                title=record["title"][:500],
                title_key=key,
                work_type=work_type,
                year=record["year"],
                series_title=record["series"] or "",
                season=record["season"],
                episode=record["episode"],
            ),
        )
    Work.objects.bulk_create(works.values(), batch_size=5000)
    work_ids = {
        (w_type, key, year): pk
        for pk, w_type, key, year in Work.objects.values_list("pk", "work_type", "title_key", "year")
    }
    credits = {}
    for record in records:
        work_type = record["work_type"] or "feature_film"
        key = work_key(
            title=record["title"],
            work_type=work_type,
            series_title=record["series"] or "",
            season=record["season"],
            episode=record["episode"],
        )
        member = profiles[f"bench{record['member']}@example.org"]
        work = work_ids[(work_type, key, record["year"])]
        credits[(member, work, record["job"])] = Credit(
            member_id=member,
            work_id=work,
            job=record["job"],
            category="writer" if record["job"] == "author" else "performer",
        )
    Credit.objects.bulk_create(credits.values(), batch_size=5000)
    return {
        "members": len(member_ids),
        "works": len(works),
        "credits": len(credits),
        "seconds": time.perf_counter() - started,
    }


def stage_ingest(folder: Path) -> dict:
    django_setup()
    from django.core.files import File

    from claims.models import TrainingSet
    from claims.services.discovery.ingestion import manifest_ingest, manifest_upload

    training_set, _ = TrainingSet.objects.get_or_create(
        name="Bench", defaults={"developer": "Bench", "media": ["subtitles"]}
    )
    path = folder / "manifest.csv"
    with path.open("rb") as handle:
        upload = File(handle, name="manifest.csv")
        upload.size = path.stat().st_size
        manifest = manifest_upload(training_set=training_set, upload=upload, uploaded_by=None, queue=False)
    started = time.perf_counter()
    manifest = manifest_ingest(manifest_id=manifest.pk)
    seconds = time.perf_counter() - started
    return {
        "manifest": manifest.pk,
        "status": manifest.status,
        "rows": manifest.rows_read,
        "loaded": manifest.rows_loaded,
        "rejected": manifest.rows_rejected,
        "seconds": seconds,
    }


def stage_match(manifest_id: int) -> dict:
    django_setup()
    from claims.models import Match
    from claims.services.discovery.matching import manifest_match

    started = time.perf_counter()
    found = manifest_match(manifest_id=manifest_id, notify=False)
    return {"matches": found, "stored": Match.objects.count(), "seconds": time.perf_counter() - started}


def stage_search(manifest_id: int) -> dict:
    django_setup()
    from django.db import connection

    from claims.models import Manifest, ManifestEntry
    from claims.selectors.discovery.training_sets import manifest_search

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_manifestentry")
    manifest = Manifest.objects.get(pk=manifest_id)
    sample = list(ManifestEntry.objects.filter(manifest=manifest).order_by("?").values_list("title", flat=True)[:20])
    queries = [title.split(":")[0][:30] for title in sample] + ["zzzq nothing", "har", "tt0000001"]
    timings = []
    for query in queries:
        started = time.perf_counter()
        manifest_search(manifest=manifest, query=query)
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {"queries": len(timings), "median_ms": 1000 * timings[len(timings) // 2], "max_ms": 1000 * timings[-1]}


STAGES = {
    "generate": stage_generate,
    "floors": stage_floors,
    "credits": stage_credits,
    "ingest": stage_ingest,
    "match": stage_match,
    "search": stage_search,
}


def run_stage(name: str, *args) -> dict:
    """Run one stage in a fresh process, so its peak memory is its own."""
    command = [sys.executable, "-m", "tests.claims.discovery.bench_discovery", "--stage", name, *map(str, args)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--credits", type=int, default=200_000)
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.stage:
        stage = STAGES[options.stage]
        values = [
            Path(a)
            if options.stage in {"generate", "floors", "credits", "ingest"} and i == len(options.args) - 1
            else int(a)
            for i, a in enumerate(options.args)
        ]
        result = stage(*values)
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return 0

    os.environ["DATABASE_URL"] = bench_database_url()
    recreate_database(os.environ["DATABASE_URL"])
    with tempfile.TemporaryDirectory(prefix="bench-discovery-") as tmp:
        os.environ["PORTAL_VAR_DIR"] = tmp
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, env=os.environ)
        folder = Path(tmp)
        entries, credits = options.entries, options.credits
        print(f"Discovery at size: {entries:,} manifest entries, {credits:,} credits (PostgreSQL)")
        generated = run_stage("generate", entries, credits, folder)
        floors = run_stage("floors", folder)
        made = run_stage("credits", folder)
        ingest = run_stage("ingest", folder)
        match = run_stage("match", ingest["manifest"])
        search = run_stage("search", ingest["manifest"])
    rows = floors["rows"]
    print(
        f"  listing: {generated['bytes'] / 1e6:,.0f} MB CSV; set-up: {made['members']:,} members, "
        f"{made['works']:,} works, {made['credits']:,} credits in {made['seconds']:.0f} s"
    )
    print(f"  floor: csv read      {floors['read_s']:6.1f} s {rows / floors['read_s']:10,.0f} rows/s")
    print(f"  floor: COPY as is    {floors['copy_s']:6.1f} s {rows / floors['copy_s']:10,.0f} rows/s")
    print(
        f"  ingest (target <30s) {ingest['seconds']:6.1f} s {ingest['rows'] / ingest['seconds']:10,.0f} rows/s  "
        f"{ingest['loaded']:,} loaded, {ingest['rejected']:,} rejected, peak {ingest['peak_rss_mb']:,.0f} MB"
    )
    print(
        f"  match  (target <30s) {match['seconds']:6.1f} s {made['credits'] / match['seconds']:10,.0f} credits/s  "
        f"{match['matches']:,} matches, peak {match['peak_rss_mb']:,.0f} MB"
    )
    print(
        f"  search (target <1s)  median {search['median_ms']:.0f} ms, slowest {search['max_ms']:.0f} ms "
        f"over {search['queries']} queries"
    )
    print(f"  memory (target <1GB) ingest {ingest['peak_rss_mb']:,.0f} MB, match {match['peak_rss_mb']:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
