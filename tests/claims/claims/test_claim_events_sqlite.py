"""Claim events are append-only on SQLite, the default database, as they are on PostgreSQL
(test_transitions.py checks PostgreSQL). A fresh SQLite database is migrated by manage.py, as
`make run` does, and then changed by hand, as someone with a database shell would."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

EVENT = (
    "INSERT INTO claims_claimevent (id, claim_id, actor_id, actor_is_staff, from_status, to_status, reason, "
    "message, internal_note, ip_address, created_at, emailed_at) "
    "VALUES (1, 1, NULL, 1, 'in_review', 'verified', '', 'Checked the call sheet.', '', NULL, '2026-01-05', NULL)"
)


@pytest.fixture(scope="module")
def sqlite_database(tmp_path_factory) -> Path:
    var = tmp_path_factory.mktemp("sqlite-var")
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PORTAL_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_ENV="development")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=settings.BASE_DIR, env=env, check=True
    )
    database = var / "portal.sqlite3"
    with sqlite3.connect(database) as connection:  # foreign keys are off in a plain connection
        connection.execute(EVENT)
    return database


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE claims_claimevent SET message = 'Changed afterwards' WHERE id = 1",
        "UPDATE claims_claimevent SET to_status = 'rejected', emailed_at = '2026-01-06' WHERE id = 1",
        "UPDATE claims_claimevent SET actor_id = 7 WHERE id = 1",
        "UPDATE claims_claimevent SET internal_note = 'Added later' WHERE id = 1",
        "DELETE FROM claims_claimevent WHERE id = 1",
    ],
)
def test_sqlite_refuses_changing_or_deleting_a_claim_event(sqlite_database, statement):
    with sqlite3.connect(sqlite_database) as connection, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute(statement)
    with sqlite3.connect(sqlite_database) as connection:
        assert connection.execute("SELECT to_status, message FROM claims_claimevent WHERE id = 1").fetchone() == (
            "verified",
            "Checked the call sheet.",
        )


def test_sqlite_lets_the_emailed_mark_alone_be_set(sqlite_database):
    with sqlite3.connect(sqlite_database) as connection:
        connection.execute("UPDATE claims_claimevent SET emailed_at = '2026-01-06 10:00' WHERE id = 1")
        assert connection.execute("SELECT emailed_at FROM claims_claimevent WHERE id = 1").fetchone() == (
            "2026-01-06 10:00",
        )


def test_sqlite_trigger_names_every_column_of_claim_events(sqlite_database):
    """A column added to claim events must be added to the SQLite trigger too (migrations 0009, 0010)."""
    from claims.models import ClaimEvent

    with sqlite3.connect(sqlite_database) as connection:
        [(trigger,)] = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'claims_claimevent_no_update'"
        ).fetchall()
    for field in ClaimEvent._meta.concrete_fields:
        guarded = f"NEW.{field.column} IS OLD.{field.column}" in trigger
        assert guarded == (field.column != "emailed_at"), field.column
