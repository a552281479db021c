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
    # Statements run through a server-side-binding cursor (the data version query,
    # tracker.data_version; a search's probe, tracker.search) are prepared after this many
    # runs: psycopg's own default, which Django turns off. The ORM's client-side cursors
    # are not affected.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(
        os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
    )
    # The planner's price of reading a page out of order, for each session: PostgreSQL's
    # default (4) is priced for spinning disks; on SSDs or a cached working set, 1.1. At 4
    # a page of deals reads its parties by hashing all of them (3.3 ms); at 1.1 by their
    # index (0.4 ms); and a search's prepared probe (tracker.search), once the server plans
    # it generically after five runs, keeps its index lookups (0.6 ms on the benchmark's
    # data) where at 4 it did not (8-10 ms). Empty leaves the server's own setting.
    if random_page_cost := os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1"):
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c random_page_cost={float(random_page_cost)}"
        )
