"""Cheaper commits and one-statement writes, for the sending paths' bookkeeping (claims,
sent marks), where a round trip per write is the cost that counts."""

import functools
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections

from .reads import prepared_cursor


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


def update_row(model, values: dict, where: dict) -> int:
    """`model.objects.filter(**where).update(**values)` for equality filters on concrete
    fields (not None), without signals or auto_now. Returns the number of rows changed."""
    db = connections[DEFAULT_DB_ALIAS]
    sql, fields = _update_sql(model, tuple(values), tuple(where), db.vendor)
    with prepared_cursor() as cursor:
        cursor.execute(sql, _db_values(db, fields, [*values.values(), *where.values()]))
        return cursor.rowcount


def insert_row(model, values: dict) -> None:
    """`model(**values).save()` for a new row given all it needs (the database fills in
    the primary key), without signals, defaults or auto_now."""
    db = connections[DEFAULT_DB_ALIAS]
    sql, fields = _insert_sql(model, tuple(values), db.vendor)
    with prepared_cursor() as cursor:
        cursor.execute(sql, _db_values(db, fields, values.values()))


def update_row_and_insert(model, values: dict, where: dict, other_model, other_values: dict) -> int:
    """`update_row(model, values, where)` and `insert_row(other_model, other_values)`: on
    PostgreSQL in one statement (a data-modifying WITH), so in one round trip and one
    commit; elsewhere one after the other. Returns the number of rows updated."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        changed = update_row(model, values, where)
        insert_row(other_model, other_values)
        return changed
    update_sql, update_fields = _update_sql(model, tuple(values), tuple(where), db.vendor)
    insert_sql, insert_fields = _insert_sql(other_model, tuple(other_values), db.vendor)
    sql = f"WITH changed AS ({update_sql} RETURNING 1), added AS ({insert_sql}) SELECT count(*) FROM changed"  # noqa: S608 the models' own quoted names; values are bound parameters
    params = _db_values(db, update_fields, [*values.values(), *where.values()])
    params += _db_values(db, insert_fields, other_values.values())
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _db_values(db, fields, values) -> list:
    return [field.get_db_prep_save(value, db) for field, value in zip(fields, values, strict=True)]


@functools.lru_cache(maxsize=64)
def _insert_sql(model, names: tuple, vendor: str) -> tuple[str, list]:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join("%s" for _ in fields)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})", fields  # noqa: S608 the models' own quoted names; values are bound parameters


@functools.lru_cache(maxsize=64)
def _update_sql(model, set_names: tuple, where_names: tuple, vendor: str) -> tuple[str, list]:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    set_fields = [model._meta.get_field(name) for name in set_names]
    where_fields = [model._meta.get_field(name) for name in where_names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in set_fields)
    conditions = " AND ".join(f"{quote(field.column)} = %s" for field in where_fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {conditions}"  # noqa: S608 the models' own quoted names; values are bound parameters
    return sql, set_fields + where_fields
