"""Claim events get `emailed_at`, the mark that the member was emailed about the step (at most once).

On PostgreSQL the append-only trigger (0003) now lets an UPDATE through when it changes that column
and nothing else; every other change, and every DELETE, is still refused.
"""

from django.db import migrations, models

ALLOW_EMAILED_AT = """
CREATE OR REPLACE FUNCTION claims_claimevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) - 'emailed_at' = to_jsonb(OLD) - 'emailed_at' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'claim events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
REFUSE_ALL = """
CREATE OR REPLACE FUNCTION claims_claimevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'claim events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def allow_emailed_at(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_EMAILED_AT, params=None)


def refuse_all(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_ALL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_statement_emailed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimevent",
            name="emailed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(allow_emailed_at, refuse_all),
    ]
