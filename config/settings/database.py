"""The database: SQLite in the project folder unless DATABASE_URL says otherwise."""

import os

import dj_database_url

from .django import BASE_DIR

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Queries are bound on the server (Django's `server_side_binding`), so psycopg
    # prepares a statement once it has run this many times (its own default) and the
    # server plans it no more: the data version query (tracker.data_version) and a page's
    # queries repeat their text with every request. 0 or less turns preparing off.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    prepare_threshold = int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5"))
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
        prepare_threshold if prepare_threshold > 0 else None
    )
    # The planner's price of reading a page out of order, for each session: PostgreSQL's
    # default (4) is priced for spinning disks; on SSDs or a cached working set, 1.1. At 4
    # a page of deals reads its parties by hashing all of them rather than by their index,
    # and a search's probe (tracker.search), once planned generically, loses its index
    # lookups. Empty leaves the server's own setting.
    if random_page_cost := os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1"):
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c random_page_cost={float(random_page_cost)}"
        )
