"""A rate of CSV exports apart from the JSON reads: each export holds a worker while it
streams up to API_CSV_MAX_ROWS rows. Staff export without it."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from .renderers import CSVRenderer


class CSVExportThrottle(SimpleRateThrottle):
    scope = "csv"

    def get_cache_key(self, request, view):
        if not isinstance(getattr(request, "accepted_renderer", None), CSVRenderer):
            return None
        if request.user.is_staff:
            return None
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
