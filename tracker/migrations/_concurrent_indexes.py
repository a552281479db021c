"""Indexes built CONCURRENTLY, so a live table keeps taking writes while they build (the
migration using this runs outside a transaction: `atomic = False`). PostgreSQL only: the
model state does not carry these indexes, so a table SQLite rebuilds never recreates them.
Not a migration itself (the leading underscore keeps the loader from reading it)."""

from django.db import migrations


def built_concurrently(indexes: dict[str, str]) -> migrations.RunPython:
    """The operation creating each `name: "table (columns) ..."` of `indexes`, and
    dropping them when unapplied."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, definition in indexes.items():
            # A build interrupted halfway leaves an INVALID index of that name: start again.
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            schema_editor.execute(f"CREATE INDEX CONCURRENTLY {name} ON {definition}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
