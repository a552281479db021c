"""Change history of the tracker's models (django-simple-history), with its manager class
built once per model instead of on every read of `Model.history`."""

from __future__ import annotations

import functools

from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


class BuiltOnceHistoryManager(HistoryManager):
    """simple-history builds `Model.history`'s manager class (from_queryset, which inspects the
    queryset's methods) on each read: about 0.4 ms, paid several times per imported case by
    bulk_create_with_history and each save's history record. The class depends only on the
    queryset class, so it is built once."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class TrackedHistory(HistoricalRecords):
    """HistoricalRecords whose `Model.history` manager class is built once."""

    def __init__(self, **options):
        super().__init__(history_manager=BuiltOnceHistoryManager, **options)
