"""Cheaper commits for the sending paths' bookkeeping (claims, sent marks), which are
written through the ORM: a commit that does not wait for the WAL flush, for one
transaction or for a run of them."""

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


class FlushlessCommits:
    """The same trade for every commit on this connection from `begin()` to `end()`: a run
    of one-statement writes then costs one round trip each. `begin()` asks the server only
    the first time, so a run that ends up writing nothing asks nothing."""

    def __init__(self):
        self.on = False

    def begin(self) -> None:
        if not self.on and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
            self.on = True

    def end(self) -> None:
        if self.on:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
            self.on = False


@contextmanager
def writes_without_waiting_for_flush():
    """FlushlessCommits for the length of a block."""
    commits = FlushlessCommits()
    commits.begin()
    try:
        yield
    finally:
        commits.end()
