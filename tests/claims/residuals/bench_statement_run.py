"""Benchmark: a full statement run on PostgreSQL + Redis with two worker processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python -m tests.claims.residuals.bench_statement_run --members 10000

Uses its own database (the DATABASE_URL's name + "_bench_statements", created and migrated if
missing; every run adds a new pool of new members, so nothing needs emptying) and its
own private folder. Reports wall time from issuing to the run finishing, statements per minute,
and the peak resident memory (VmHWM) of each worker process.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[3]  # the checkout: tests/claims/residuals/ is three folders down


def bench_database_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    name = parts.path.lstrip("/") + "_bench_statements"
    return urlunsplit(parts._replace(path="/" + name)), name


def ensure_database(url: str, name: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def peak_rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=3, help="allocation lines per member")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-files", action="store_true")
    args = parser.parse_args()

    if not os.environ.get("REDIS_URL"):
        sys.exit("The benchmark needs Redis: set REDIS_URL=redis://…")
    url, name = bench_database_url(os.environ.get("DATABASE_URL", ""))
    ensure_database(url, name)
    private_dir = Path(tempfile.mkdtemp(prefix="bench-statements-"))
    os.environ.update(DATABASE_URL=url, PORTAL_PRIVATE_DIR=str(private_dir), DJANGO_SETTINGS_MODULE="portal.settings")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from claims.enums import StatementRunStatus, StatementStatus
    from claims.selectors.residuals.runs import run_progress
    from claims.services.residuals.statement_runs import statement_run_start
    from portal.celery import app
    from tests.claims.residuals.statement_builders import bulk_pool

    started = time.monotonic()
    pool, expected = bulk_pool(members=args.members, lines_per_member=args.lines)
    print(
        f"Set up {args.members:,} members with {args.members * args.lines:,} lines in "
        f"{time.monotonic() - started:.1f} s",
        flush=True,
    )
    app.control.purge()

    workers = []
    for number in range(args.workers):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"bench{number}@%h",
        ]
        worker = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env={**os.environ, "LOG_LEVEL": "WARNING"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        workers.append(worker)
    time.sleep(5)  # let both workers connect before the first task, so neither gets a head start
    peaks = {worker.pid: 0 for worker in workers}
    stop = threading.Event()

    def watch_memory() -> None:
        while not stop.is_set():
            for pid in peaks:
                peaks[pid] = max(peaks[pid], peak_rss_kib(pid))
            stop.wait(0.5)

    watcher = threading.Thread(target=watch_memory, daemon=True)
    watcher.start()
    try:
        started = time.monotonic()
        run = statement_run_start(pool=pool, started_by=None)
        last_report = 0.0
        while True:
            run.refresh_from_db()
            if run.status != StatementRunStatus.RUNNING:
                break
            if all(worker.poll() is not None for worker in workers):
                sys.exit("Every worker has stopped before the run finished (run one by hand to see why).")
            now = time.monotonic() - started
            if now - last_report >= 15:
                progress = run_progress(run)
                print(
                    f"  {now:6.0f} s: {progress.done:,} done, {progress.failed:,} failed, "
                    f"{progress.remaining:,} left, time left {progress.time_left_text or '?'}",
                    flush=True,
                )
                last_report = now
            time.sleep(0.5)
        wall = time.monotonic() - started
        for pid in peaks:
            peaks[pid] = max(peaks[pid], peak_rss_kib(pid))
    finally:
        stop.set()
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()

    progress = run_progress(run)
    done = run.statements.filter(status=StatementStatus.DONE).count()
    correct = progress.total_payable == sum(expected.values())
    print(f"Run {run.pk}: {run.get_status_display()}: {done:,} done, {progress.failed:,} failed")
    print(f"Wall time: {wall:.1f} s ({wall / 60:.1f} min)")
    print(f"Statements per minute: {done / wall * 60:,.0f}")
    for number, (pid, kib) in enumerate(peaks.items()):
        print(f"Peak memory, worker {number} (pid {pid}): {kib / 1024:.0f} MB")
    print(f"Run total matches the members' totals: {correct} ({progress.total_payable:,})")
    if not args.keep_files:
        shutil.rmtree(private_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
