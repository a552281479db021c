"""Prepared statements and the planner's row estimate, for the read paths."""

import json

from django.db import DEFAULT_DB_ALIAS, connections


def prepared_cursor(using: str = DEFAULT_DB_ALIAS):
    """On PostgreSQL a server-side-binding cursor, which psycopg prepares once it has run a
    statement `prepare_threshold` times (settings), so the server plans it no more. Use it
    for statements whose text repeats (parameters, not values, in the SQL). Still Django's
    wrapper, through the execute wrappers. Where queries are being logged (DEBUG, tests
    counting them), Django's own cursor, since the log cannot show a prepared statement's
    text."""
    db = connections[using]
    if db.vendor != "postgresql" or db.queries_logged:
        return db.cursor()
    import psycopg

    db.ensure_connection()
    return db.make_cursor(psycopg.Cursor(db.connection))


# On a path that writes a row per message sent, the ORM's compiling of each statement
# cost more than the statement's round trip: these build their SQL once per shape, and on
# PostgreSQL run it prepared, so the server parses and plans each shape once per
# connection too.


def planned_rows(sql: str, params, using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The planner's estimate of the rows `sql` returns (PostgreSQL), without running it:
    one planning, from the tables' statistics. None elsewhere."""
    db = connections[using]
    if db.vendor != "postgresql":
        return None
    with db.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])
