"""The full-text index over Listing.document, in each database's own way.

SQLite: an FTS5 table over the listing rows (external content), kept in step by triggers.
PostgreSQL: a GIN index over to_tsvector('simple', document); the selector's WHERE uses the
same expression, so the planner can use it. The documents are already folded to ASCII, so
the language-neutral 'simple' configuration fits both German and English words.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE directory_fts USING fts5(
        document, content='directory_listing', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER directory_fts_insert AFTER INSERT ON directory_listing BEGIN
        INSERT INTO directory_fts(rowid, document) VALUES (new.id, new.document);
    END""",
    """CREATE TRIGGER directory_fts_delete AFTER DELETE ON directory_listing BEGIN
        INSERT INTO directory_fts(directory_fts, rowid, document)
        VALUES ('delete', old.id, old.document);
    END""",
    """CREATE TRIGGER directory_fts_update AFTER UPDATE ON directory_listing BEGIN
        INSERT INTO directory_fts(directory_fts, rowid, document)
        VALUES ('delete', old.id, old.document);
        INSERT INTO directory_fts(rowid, document) VALUES (new.id, new.document);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER directory_fts_update",
    "DROP TRIGGER directory_fts_delete",
    "DROP TRIGGER directory_fts_insert",
    "DROP TABLE directory_fts",
]
POSTGRES = [
    "CREATE INDEX directory_listing_fts ON directory_listing "
    "USING gin (to_tsvector('simple', document))"
]
POSTGRES_REVERSE = ["DROP INDEX directory_listing_fts"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in SQLITE if vendor == "sqlite" else POSTGRES:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_REVERSE if vendor == "sqlite" else POSTGRES_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
