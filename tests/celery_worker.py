"""A real Celery worker process for end-to-end tests, pointed at the test database.

The worker is `celery -A portal worker --pool=solo` started with this process's
environment, plus a DATABASE_URL naming pytest-django's test database and the
same PORTAL_VAR_DIR (so the filesystem broker folders, private uploads and
SQLite file are shared). With REDIS_URL set, both sides use that Redis.

Use it with `transactional_db`: the worker only sees committed rows.
"""

import itertools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import quote

from django.conf import settings
from django.db import connection

READY_TIMEOUT_SECONDS = 60
_worker_numbers = itertools.count(1)


def worker_database_url() -> str:
    """The DATABASE_URL of the database the tests are using right now (the test database)."""
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # pytest-django has already swapped NAME for the test file (settings' TEST NAME).
        return f"sqlite:///{database['NAME']}?timeout=20"
    if database["ENGINE"] == "django.db.backends.postgresql":
        user = quote(database["USER"] or "", safe="")
        password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
        host = database["HOST"] or "localhost"
        port = f":{database['PORT']}" if database["PORT"] else ""
        return f"postgres://{user}{password}@{host}{port}/{database['NAME']}"
    raise NotImplementedError(f"No worker support for {database['ENGINE']}")


@contextmanager
def celery_worker(
    *, concurrency: int | None = None, extra_args: Sequence[str] = (), name: str | None = None
) -> Iterator[subprocess.Popen]:
    """Start a worker, wait until it consumes, yield it, then stop it (its output is printed on failure).

    By default one solo-pool process; with `concurrency`, a prefork worker with that many child
    processes. The worker leads its own process group, so a test can kill it with its children
    (`os.killpg(worker.pid, signal.SIGKILL)`), as an out-of-memory kill or a lost machine would.
    """
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "PORTAL_VAR_DIR": str(settings.VAR_DIR),
        # The test's private storage folder (tests/conftest.py), so the worker reads the uploads.
        "PORTAL_PRIVATE_DIR": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings"),
        "LOG_LEVEL": "INFO",
    }
    pool = ["--pool=solo"] if concurrency is None else ["--pool=prefork", f"--concurrency={concurrency}"]
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        *pool,
        "-l",
        "info",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        name or f"test-{os.getpid()}-{next(_worker_numbers)}@%h",
        *extra_args,
    ]
    worker = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def read_output() -> None:
        for line in worker.stdout:
            output.append(line)
            if " ready." in line:
                ready.set()

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    try:
        if not ready.wait(READY_TIMEOUT_SECONDS):
            raise RuntimeError("The Celery worker did not become ready:\n" + "".join(output))
        yield worker
    except BaseException:
        sys.stderr.write("Celery worker output:\n" + "".join(output))
        raise
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        reader.join(timeout=5)
