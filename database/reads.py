"""The planner's row estimate, for counts too long to count."""

import json

from django.db import connections


def estimated_rows(queryset) -> int | None:
    """The planner's estimate of the rows `queryset` returns (PostgreSQL), without running
    it: one planning, from the tables' statistics. None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.explain(format="json"))
    if isinstance(plan, list):
        plan = plan[0]
    return int(plan["Plan"]["Plan Rows"])
