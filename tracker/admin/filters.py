"""List filters of the reviews admin."""

import datetime

from django.contrib import admin
from django.utils import timezone

from ..lifecycle import CLOSED_STATUSES, OPEN_STATUSES


class OpenClosedFilter(admin.SimpleListFilter):
    title = "open or closed"
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", "Open"), ("no", "Closed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status__in=OPEN_STATUSES)
        if self.value() == "no":
            return queryset.filter(status__in=CLOSED_STATUSES)
        return queryset


class DeadlineFilter(admin.SimpleListFilter):
    title = "next deadline"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Passed, review still open"),
            ("7", "Within 7 days"),
            ("30", "Within 30 days"),
            ("any", "Has a deadline"),
            ("none", "No deadline"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "overdue":
            return queryset.filter(next_deadline__lt=today, status__in=OPEN_STATUSES)
        if value in {"7", "30"}:
            return queryset.filter(
                next_deadline__gte=today,
                next_deadline__lte=today + datetime.timedelta(days=int(value)),
            )
        if value == "any":
            return queryset.filter(next_deadline__isnull=False)
        if value == "none":
            return queryset.filter(next_deadline__isnull=True)
        return queryset
