"""The search indexes are built CONCURRENTLY (writes go on while they build), on a table
that already has rows, and the rows are searchable once they are."""

import threading
import time

import psycopg
import pytest
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.factories import EventFactory, ReviewFactory
from tracker import search
from tracker.models import Deal, Event, Review

postgres = pytest.mark.postgres


def to_latest() -> None:
    """The schema of today's models, which later migrations have grown beside the index."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def latest_afterwards():
    """The database back at the latest migrations after the test, even one that failed
    halfway, so the tests after it find the schema they expect."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def statements_of_migrating(before: str, migration: str) -> list[str]:
    """The SQL that applying `migration` (of tracker) runs, from the state just before it."""
    MigrationExecutor(connection).migrate([("tracker", before)])
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        MigrationExecutor(connection).migrate([("tracker", migration)])
    return statements


@postgres
@pytest.mark.django_db(transaction=True)
def test_the_index_migration_builds_every_index_concurrently_on_a_table_with_rows(
    latest_afterwards,
):
    EventFactory.create_batch(3, title="Quokka")
    statements = statements_of_migrating("0013_search_documents", "0014_search_indexes")
    created = [sql for sql in statements if sql.startswith("CREATE INDEX")]
    assert len(created) == 11 and all(
        sql.startswith("CREATE INDEX CONCURRENTLY") for sql in created
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname LIKE '%%_idx' AND (c.relname LIKE '%%search%%' OR c.relname LIKE '%%trgm%%') "
            "AND i.indisvalid"
        )
        assert cursor.fetchone()[0] == 10
    assert (
        list(
            search.search_events(Event.objects.all(), "quokka").queryset.values_list(
                "title", flat=True
            )
        )
        == ["Quokka"] * 3
    )


@postgres
@pytest.mark.django_db(transaction=True)
def test_the_investment_index_is_built_concurrently_and_answers_the_deals_totals(latest_afterwards):
    EventFactory.create_batch(3, kind="investment", amount=100)
    statements = statements_of_migrating(
        "0015_event_recorded_as_history", "0016_event_investment_index"
    )
    assert [sql for sql in statements if sql.startswith("CREATE INDEX")] == [
        "CREATE INDEX CONCURRENTLY event_deal_investment_idx ON tracker_event (deal_id, amount) "
        "WHERE kind = 'investment'"
    ]
    to_latest()
    # The sum of a deal's investments is answered from the index (its predicate matches
    # the query's); with three rows the planner would rather scan, so scans are ruled out.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = Deal.objects.with_total_committed().order_by().explain()
        cursor.execute("RESET enable_seqscan")
    assert "event_deal_investment_idx" in plan
    assert (
        sorted(Deal.objects.with_total_committed().values_list("total_committed", flat=True))
        == [100] * 3
    )


@postgres
@pytest.mark.django_db(transaction=True)
def test_the_search_walk_index_is_built_concurrently_and_a_common_words_walk_reads_only_it(
    monkeypatch, latest_afterwards
):
    ReviewFactory.create_batch(6, outcome_wording="Cleared unconditionally")
    statements = statements_of_migrating(
        "0016_event_investment_index", "0017_review_search_walk_index"
    )
    assert [sql for sql in statements if sql.startswith("CREATE INDEX")] == [
        "CREATE INDEX CONCURRENTLY review_search_walk_idx ON tracker_review (opened_on, id) "
        "INCLUDE (search_document, reference, docket_number)"
    ]
    monkeypatch.setattr(search, "RANKED_MATCHES", 0)  # any match at all is many: the list is walked
    found = search.search_reviews(Review.objects.order_by("-opened_on", "-id"), "cleared")
    walk = found.queryset.values_list("pk", flat=True)
    assert found.count_is_estimate and len(walk) == 6
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE tracker_review")  # rows all visible, as on a settled table
    with transaction.atomic(), connection.cursor() as cursor:
        # A table this small would be scanned: ask whether the index can serve the walk.
        for method in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        plan = walk.all()[:2].explain()
    assert "Index Only Scan Backward using review_search_walk_idx" in plan, plan


def own_connection() -> psycopg.Connection:
    """A connection of its own to the test database, outside Django's."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


def building_on(conn: psycopg.Connection, table: str) -> str | None:
    """The phase of an index build on `table` in progress, if any."""
    row = conn.execute(
        "SELECT phase FROM pg_stat_progress_create_index WHERE relid = %s::regclass", [table]
    ).fetchone()
    return row[0] if row else None


@postgres
@pytest.mark.django_db(transaction=True)
def test_the_walk_index_builds_while_the_table_takes_writes(latest_afterwards):
    review = ReviewFactory(outcome_wording="Cleared")
    MigrationExecutor(connection).migrate([("tracker", "0016_event_investment_index")])
    # A reader's open snapshot: a concurrent build waits for it to end before it is done,
    # which keeps the build in progress while the table is written to.
    reader, writer = own_connection(), own_connection()
    reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    reader.execute("SELECT count(*) FROM tracker_review")
    failures = []

    def migrate():
        try:
            MigrationExecutor(connections["default"]).migrate(
                [("tracker", "0017_review_search_walk_index")]
            )
        except Exception as exc:  # reported by the test's thread below
            failures.append(exc)
        finally:
            connections.close_all()

    builder = threading.Thread(target=migrate)
    builder.start()
    try:
        deadline = time.monotonic() + 20
        while (
            building_on(writer, "tracker_review") is None
            and builder.is_alive()
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        phase = building_on(writer, "tracker_review")
        assert phase is not None, failures
        writer.execute("SET lock_timeout = '2s'")  # a plain CREATE INDEX would hold writes back
        writer.execute(
            "UPDATE tracker_review SET outcome_wording = 'Cleared later' WHERE id = %s", [review.pk]
        )
        assert building_on(writer, "tracker_review") is not None and builder.is_alive()
    finally:
        reader.execute("ROLLBACK")
        builder.join(30)
        reader.close()
    assert not failures and not builder.is_alive()
    assert writer.execute(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = 'review_search_walk_idx'"
    ).fetchone() == (True,)
    writer.close()
    to_latest()
    assert Review.objects.get(pk=review.pk).outcome_wording == "Cleared later"
