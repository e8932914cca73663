"""Claim events are append-only on SQLite too, the portal's default database, as 0003 and 0008 made
them on PostgreSQL: the database refuses every DELETE, and every UPDATE that changes anything but
`emailed_at` (the mark that the member was told).

SQLite has no row type to compare whole, so the trigger names the columns. A later migration that
adds a column to claim events, or makes Django rebuild the table (which drops its triggers), must
create these again; tests/claims/claims/test_claim_events_sqlite.py migrates a fresh SQLite
database and fails if they are missing or incomplete.
"""

from django.db import migrations

# Every column but emailed_at, as the table has them after 0008.
COLUMNS = [
    "id",
    "claim_id",
    "actor_id",
    "actor_is_staff",
    "from_status",
    "to_status",
    "reason",
    "message",
    "ip_address",
    "created_at",
]
UNCHANGED = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in COLUMNS)
CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS claims_claimevent_no_update BEFORE UPDATE ON claims_claimevent
    WHEN NOT ({UNCHANGED})
    BEGIN SELECT RAISE(ABORT, 'claim events are append-only (UPDATE refused)'); END""",
    """CREATE TRIGGER IF NOT EXISTS claims_claimevent_no_delete BEFORE DELETE ON claims_claimevent
    BEGIN SELECT RAISE(ABORT, 'claim events are append-only (DELETE refused)'); END""",
]
DROP = [
    "DROP TRIGGER IF EXISTS claims_claimevent_no_update",
    "DROP TRIGGER IF EXISTS claims_claimevent_no_delete",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_claim_event_emailed_at")]
    operations = [migrations.RunPython(create, drop)]
