"""Shared fixtures: three personas, as in every test of a view.

- `member`: a signed-up member with a profile;
- `other_member`: another member, whose data `member` must never see (404);
- `verifier`: union staff with two-factor on, assigned to no union;
- `sag_verifier`: union staff assigned to verify SAG-AFTRA's claims.
"""

import os

import pytest

from tests import factories

# Playwright's sync API runs an event loop in the main thread; Django's ORM in
# the test body is still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Uploads and generated files go to a per-test folder, never the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture
def member(db):
    return factories.make_member(
        email="member@example.org", legal_name="Maria Santos", professional_names=["Maria Santos", "M. J. Santos"]
    )


@pytest.fixture
def other_member(db):
    return factories.make_member(email="other@example.org", legal_name="Oscar Lindqvist")


@pytest.fixture
def verifier(db):
    return factories.make_staff(email="verifier@union.example")


@pytest.fixture
def sag_verifier(db):
    return factories.make_verifier(email="sag-verifier@union.example", unions=("SAG-AFTRA",))


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def verifier_client(client, verifier):
    client.force_login(verifier)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits count in the cache; every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    return


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a password; tests need only that hashing happens."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker process using the test database and broker (see tests/celery_worker.py)."""
    from tests.celery_worker import celery_worker

    with celery_worker() as worker:
        yield worker


@pytest.fixture(autouse=True)
def _unions_for_transactional_tests(request):
    """Transactional tests (live server, real worker) start from emptied tables, so the unions
    the data migration loads are put back first; plain `db` tests keep them from migrating.

    Django empties the tables after such a test with DELETE on SQLite (TRUNCATE on PostgreSQL,
    which row triggers do not see), so on SQLite the claim events' append-only triggers (migration
    0009) step aside for that and are put back before the next transactional test."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    import importlib

    from django.apps import apps
    from django.db import connection

    request.getfixturevalue("transactional_db")  # so its emptying runs after this fixture's end
    importlib.import_module("members.migrations.0002_unions").load_unions(apps, None)
    on_sqlite = connection.vendor == "sqlite"
    if on_sqlite:
        with connection.cursor() as cursor:
            for statement in _SQLITE_CLAIM_EVENT_TRIGGERS:
                cursor.execute(statement)
    yield
    if on_sqlite:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'claims_claimevent'"
            )
            triggers = cursor.fetchall()
            _SQLITE_CLAIM_EVENT_TRIGGERS[:] = [sql for _, sql in triggers]
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')


# The claim events' triggers as the migrations left them, while a transactional test's emptying
# has them dropped (SQLite only).
_SQLITE_CLAIM_EVENT_TRIGGERS: list[str] = []


@pytest.fixture
def celery_eager(db):
    """Tasks queued after commit run in this process (the real-worker tests start tests.celery_worker)."""
    from portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
