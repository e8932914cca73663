"""On PostgreSQL the database itself refuses to change or delete claim events: the audit
trail stays whole even against a bug or someone with a database shell and the app's login."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION claims_claimevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'claim events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER claims_claimevent_append_only
    BEFORE UPDATE OR DELETE ON claims_claimevent
    FOR EACH ROW EXECUTE FUNCTION claims_claimevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS claims_claimevent_append_only ON claims_claimevent;
DROP FUNCTION IF EXISTS claims_claimevent_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_claims_and_verification")]
    operations = [migrations.RunPython(create, drop)]
