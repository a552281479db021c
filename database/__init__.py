"""Database plumbing the apps share, apart from the domain: cheaper commits for
the sending paths' bookkeeping (`writes`), the planner's row estimate for
long lists' counts (`reads`), and how datetimes are sent to
PostgreSQL (`pg_datetimes`), and the models' change history with its manager built once
(`history`)."""
