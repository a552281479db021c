"""Database helpers shared by the sending paths."""

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
