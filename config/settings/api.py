"""The REST API and its schema."""

import os

from .environment import env_rate

REST_FRAMEWORK = {
    # Token first, so an anonymous write is answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.EditorsWriteOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["api.filter_backends.StrictDjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "api.json_renderer.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.autoschema.APIAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "api.throttles.CSVExportThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_ANON_RATE", "120/minute"),
        "user": env_rate("API_USER_RATE", "2400/minute"),
        "login": env_rate("API_LOGIN_RATE", "20/minute"),
        "csv": env_rate("API_CSV_RATE", "20/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
}

# A CSV export holds at most this many rows for anyone but staff; the rest comes in parts
# (`part=2`, ...), each response's `Link: rel="next"` naming the next one.
API_CSV_MAX_ROWS = int(os.environ.get("API_CSV_MAX_ROWS", "10000"))
API_CSV_MAX_PARTS = int(os.environ.get("API_CSV_MAX_PARTS", "100"))

SPECTACULAR_SETTINGS = {
    "TITLE": "Antitrust Case Tracker API",
    "DESCRIPTION": (
        "Deals, the competition authorities reviewing them, each review's status on one lifecycle, "
        "sourced timelines and deadlines. Anyone may read (throttled); members of the editors group write. "
        "Every error has the body {status, code, detail, errors?}. Every public JSON read carries an ETag; "
        "a matching If-None-Match is a 304. PATCH, PUT and transition honour If-Match (412 when "
        "stale). Every list also answers text/csv "
        "(?format=csv), streamed."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "tracker.choices.ReviewStatus",
        "DealStatusEnum": "tracker.choices.DealStatus",
        "NoticeChannelEnum": "notices.choices.Channel",
        "EventKindEnum": "tracker.choices.EventKind",
        "PartyRoleEnum": "tracker.choices.PartyRole",
        "DealRoleEnum": "tracker.choices.DealRole",
        "AmountBasisEnum": "tracker.choices.AmountBasis",
        "DatePrecisionEnum": "tracker.choices.DatePrecision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_calendar_feeds",
        "api.schema.add_csv_responses",
        "api.schema.add_error_responses",
    ],
}
