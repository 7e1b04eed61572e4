"""The database's own full-text index beside the entries (not model fields: see models.py).

PostgreSQL: a generated tsvector (title weighted A, text B) with a GIN index. SQLite: an FTS5
table over the entries, kept in step by triggers, where this sqlite3 has FTS5; without it the
search falls back to LIKE (selectors.engine). A later migration that makes SQLite rebuild the
entries table drops the triggers: it must call `sqlite_fts` again.
"""

from django.db import migrations

CONFIG = "english"

POSTGRES = [
    f"""ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{CONFIG}', coalesce(title, '')), 'A')
        || setweight(to_tsvector('{CONFIG}', coalesce(text, '')), 'B')) STORED""",
    "CREATE INDEX search_entry_document ON search_entry USING gin (document)",
]

SQLITE = [
    """CREATE VIRTUAL TABLE search_entry_fts USING fts5(title, text, content='search_entry',
        content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO search_entry_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]


def has_fts5(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        if cursor.fetchone()[0]:
            return True
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(a)")
            cursor.execute("DROP TABLE temp.fts5_probe")
    except Exception:
        return False
    return True


def sqlite_fts(connection) -> None:
    with connection.cursor() as cursor:
        for statement in SQLITE:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in POSTGRES:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite" and has_fts5(connection):
        sqlite_fts(connection)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_entry DROP COLUMN document")
    elif connection.vendor == "sqlite":
        for name in ("search_entry_ai", "search_entry_ad", "search_entry_au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_entry_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
