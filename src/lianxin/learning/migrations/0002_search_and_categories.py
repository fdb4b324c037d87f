"""Full-text search over Item.search_title / search_body (see learning/search.py) and the default categories.

SQLite: an FTS5 table with external content (the item table), kept by triggers. PostgreSQL: a GIN index on the
weighted 'simple' tsvector of the two columns, the same expression the search queries use."""

from django.db import migrations

FTS = "learning_item_fts"
SQLITE_UP = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_title, search_body, content='learning_item', "
    "content_rowid='id', tokenize='unicode61')",
    f"CREATE TRIGGER learning_item_ai AFTER INSERT ON learning_item BEGIN INSERT INTO {FTS}(rowid, search_title, "
    "search_body) VALUES (new.id, new.search_title, new.search_body); END",
    f"CREATE TRIGGER learning_item_ad AFTER DELETE ON learning_item BEGIN INSERT INTO {FTS}({FTS}, rowid, "
    "search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body); END",
    f"CREATE TRIGGER learning_item_au AFTER UPDATE OF search_title, search_body ON learning_item BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, "
    f"old.search_body); INSERT INTO {FTS}(rowid, search_title, search_body) VALUES (new.id, new.search_title, "
    "new.search_body); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS learning_item_ai", "DROP TRIGGER IF EXISTS learning_item_ad",
               "DROP TRIGGER IF EXISTS learning_item_au", f"DROP TABLE IF EXISTS {FTS}"]
PG_UP = ["CREATE INDEX learning_item_search_gin ON learning_item USING gin ((setweight(to_tsvector('simple', "
         "search_title), 'A') || setweight(to_tsvector('simple', search_body), 'B')))"]
PG_DOWN = ["DROP INDEX IF EXISTS learning_item_search_gin"]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_UP if vendor == "sqlite" else PG_UP if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_DOWN if vendor == "sqlite" else PG_DOWN if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def categories(apps, schema_editor):
    from lianxin.learning.categories import seed

    seed(apps.get_model("learning", "Category"))


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_learning")]

    operations = [
        migrations.RunPython(up, down),
        migrations.RunPython(categories, migrations.RunPython.noop),
    ]
