"""Database helpers shared by the sending paths."""

from contextlib import contextmanager

from django.db import connection


def commit_without_waiting_for_flush() -> None:
    """Call inside a transaction: its commit returns before the WAL is flushed to disk.

    For bookkeeping of at-least-once sending (claims, sent marks) this trades a crash of
    the database server itself, which could lose the last few marks and so resend a
    message, for several times the commit rate. A worker crash loses nothing.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@contextmanager
def writes_without_waiting_for_flush():
    """The same trade for every commit on this connection until the block ends: a run of
    one-statement marks then costs one round trip each, not a transaction each."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
