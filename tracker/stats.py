"""Review-duration statistics: days from opening to closing, by group."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import QuerySet

from .lifecycle import CLOSED_STATUSES
from .models import Review

# What a duration can be grouped by, and the column that holds it: the outcome is the
# review's outcome code (cleared, prohibited, study_concluded, ...), not its status.
GROUPINGS = {"regulator": "regulator__slug", "review_type": "review_type", "outcome": "outcome"}


def quartiles(values: Sequence[int]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile), linear interpolation between ranks."""
    if not values:
        raise ValueError("no values")
    if len(values) == 1:
        return float(values[0]), float(values[0]), float(values[0])
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


# The figures of each group, after its grouping columns.
DURATION_COLUMNS = (
    "count",
    "median_days",
    "q1_days",
    "q3_days",
    "min_days",
    "max_days",
    "preliminary_count",
    "preliminary_median_days",
)


def review_durations(
    reviews: QuerySet[Review], group_by: Sequence[str] = tuple(GROUPINGS)
) -> list[dict]:
    unknown = set(group_by) - set(GROUPINGS)
    if unknown:
        raise ValueError(f"Cannot group by {', '.join(sorted(unknown))}.")
    columns = [GROUPINGS[name] for name in group_by]
    # A duration counts from the formal opening; the preliminary stage before it (a regulator's
    # preliminary inquiry, the parties' pre-notification) is given beside.
    rows = (
        reviews.filter(status__in=CLOSED_STATUSES, opened_on__isnull=False, closed_on__isnull=False)
        .order_by()
        .values_list(*columns, "opened_on", "formally_opened_on", "closed_on")
    )
    groups: dict[tuple, list[int]] = defaultdict(list)
    preliminary: dict[tuple, list[int]] = defaultdict(list)
    for *key, opened_on, formally_opened_on, closed_on in rows.iterator(chunk_size=5000):
        groups[tuple(key)].append((closed_on - (formally_opened_on or opened_on)).days)
        if formally_opened_on and formally_opened_on > opened_on:
            preliminary[tuple(key)].append((formally_opened_on - opened_on).days)
    result = []
    for key in sorted(groups):
        days = sorted(groups[key])
        q1, median, q3 = quartiles(days)
        before = sorted(preliminary[key])
        result.append(
            dict(zip(group_by, key, strict=True))
            | {
                "count": len(days),
                "median_days": median,
                "q1_days": q1,
                "q3_days": q3,
                "min_days": days[0],
                "max_days": days[-1],
                "preliminary_count": len(before),
                "preliminary_median_days": statistics.median(before) if before else None,
            }
        )
    return result
