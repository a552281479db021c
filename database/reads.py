"""The planner's row estimate for the read paths; prepared statements for the sending paths."""

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


def estimated_rows(queryset) -> int | None:
    """The planner's estimate of the rows `queryset` returns (PostgreSQL), without running
    it: one planning, from the tables' statistics. None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.explain(format="json"))
    if isinstance(plan, list):
        plan = plan[0]
    return int(plan["Plan"]["Plan Rows"])
