"""Trigram indexes for case search on PostgreSQL; nothing at all on SQLite.

The searches stay Django's `icontains` (UPPER(col::text) LIKE UPPER('%term%')), so both backends
find exactly the same cases; on PostgreSQL these GIN indexes on the same UPPER(...) expressions
let the planner answer them with a bitmap OR instead of reading every case. They are not in the
models' Meta because SQLite has no pg_trgm: the migration state does not need them.
"""

from django.db import migrations

INDEXES = {
    "case_subject_trgm": 'UPPER("subject"::text)',
    "case_business_impact_trgm": 'UPPER("business_impact"::text)',
    "case_what_went_wrong_trgm": 'UPPER("what_went_wrong"::text)',
    "case_number_trgm": 'UPPER("number"::text)',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "cases_case" USING gin (({expression}) gin_trgm_ops)'
        )
    # The portal's exact case-number match (number__iexact) is a plain equality on the same expression.
    schema_editor.execute('CREATE INDEX IF NOT EXISTS "case_number_upper" ON "cases_case" (UPPER("number"::text))')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*INDEXES, "case_number_upper"]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [("cases", "0012_case_next_due_at")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
