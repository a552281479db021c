"""The sending paths' cheaper commits: on PostgreSQL they do not wait for the WAL flush,
and the setting goes back to the server's own after a block."""

import pytest
from django.db import connection, transaction

from database.writes import commit_without_waiting_for_flush, writes_without_waiting_for_flush

pytestmark = pytest.mark.django_db


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_block_of_writes_does_not_wait_for_the_flush_and_then_does_again():
    before = synchronous_commit()
    with writes_without_waiting_for_flush():
        assert synchronous_commit() == "off"
    assert synchronous_commit() == before


@pytest.mark.postgres
def test_a_transaction_can_commit_without_waiting_for_the_flush():
    with transaction.atomic():
        commit_without_waiting_for_flush()
        assert synchronous_commit() == "off"


def test_elsewhere_the_writes_run_as_usual():
    with writes_without_waiting_for_flush(), transaction.atomic():
        commit_without_waiting_for_flush()
