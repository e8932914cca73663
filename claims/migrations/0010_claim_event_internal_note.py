"""Claim events get an internal note for union staff, beside the message the member reads."""

from django.db import migrations, models

# SQLite's append-only triggers (0009) name the columns they guard, and adding this column makes
# Django rebuild the table, which drops them: both are made again, with the new column.
# PostgreSQL's trigger compares whole rows, so it guards the new column as it is.
COLUMNS = [
    "id",
    "claim_id",
    "actor_id",
    "actor_is_staff",
    "from_status",
    "to_status",
    "reason",
    "message",
    "internal_note",
    "ip_address",
    "created_at",
]


def _triggers(columns: list[str]) -> list[str]:
    unchanged = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in columns)
    return [
        "DROP TRIGGER IF EXISTS claims_claimevent_no_update",
        "DROP TRIGGER IF EXISTS claims_claimevent_no_delete",
        """CREATE TRIGGER claims_claimevent_no_delete BEFORE DELETE ON claims_claimevent
        BEGIN SELECT RAISE(ABORT, 'claim events are append-only (DELETE refused)'); END""",
        f"""CREATE TRIGGER claims_claimevent_no_update BEFORE UPDATE ON claims_claimevent
        WHEN NOT ({unchanged})
        BEGIN SELECT RAISE(ABORT, 'claim events are append-only (UPDATE refused)'); END""",
    ]


def guard_new_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _triggers(COLUMNS):
            schema_editor.execute(statement, params=None)


def guard_old_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _triggers([column for column in COLUMNS if column != "internal_note"]):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_claim_events_append_only_on_sqlite"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimevent",
            name="internal_note",
            field=models.TextField(blank=True, max_length=4000),
        ),
        migrations.RunPython(guard_new_column, guard_old_columns),
    ]
