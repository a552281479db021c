"""The search indexes are built CONCURRENTLY (writes go on while they build), on a table
that already has rows, and the rows are searchable once they are."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import EventFactory
from tracker import search
from tracker.models import Event

postgres = pytest.mark.postgres


@postgres
@pytest.mark.django_db(transaction=True)
def test_the_index_migration_builds_every_index_concurrently_on_a_table_with_rows():
    EventFactory.create_batch(3, title="Quokka")
    executor = MigrationExecutor(connection)
    executor.migrate([("tracker", "0013_search_documents")])
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    executor = MigrationExecutor(connection)
    with connection.execute_wrapper(record):
        executor.migrate([("tracker", "0014_search_indexes")])
    created = [sql for sql in statements if sql.startswith("CREATE INDEX")]
    assert len(created) == 11 and all(sql.startswith("CREATE INDEX CONCURRENTLY") for sql in created)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                       "WHERE c.relname LIKE '%%_idx' AND (c.relname LIKE '%%search%%' OR c.relname LIKE '%%trgm%%') "
                       "AND i.indisvalid")
        assert cursor.fetchone()[0] == 10
    assert list(search.search_events(Event.objects.all(), "quokka").values_list("title", flat=True)) == ["Quokka"] * 3
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
