"""PostgreSQL: the weighted tsvector is stored (column ``search_vector``, kept by a trigger from search_title and
search_body) and indexed, instead of an expression index whose ranking recomputed every match's vector (seconds
per query at 10,000 items). The column is outside the Django model: only learning/search.py reads it."""

from django.db import migrations

PG_UP = [
    "DROP INDEX IF EXISTS learning_item_search_gin",
    "ALTER TABLE learning_item ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION learning_item_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector := setweight(to_tsvector('simple', coalesce(NEW.search_title, '')), 'A') ||
                       setweight(to_tsvector('simple', coalesce(NEW.search_body, '')), 'B');
  RETURN NEW;
END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER learning_item_search_vector BEFORE INSERT OR UPDATE ON learning_item FOR EACH ROW "
    "EXECUTE FUNCTION learning_item_search_vector()",
    "UPDATE learning_item SET search_title = search_title",
    "CREATE INDEX learning_item_search_vector_gin ON learning_item USING gin (search_vector)",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS learning_item_search_vector_gin",
    "DROP TRIGGER IF EXISTS learning_item_search_vector ON learning_item",
    "DROP FUNCTION IF EXISTS learning_item_search_vector()",
    "ALTER TABLE learning_item DROP COLUMN IF EXISTS search_vector",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_UP:
            schema_editor.execute(sql)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_search_and_categories")]

    operations = [migrations.RunPython(up, down)]
