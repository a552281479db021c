"""Queries per request of each list endpoint at several page sizes (printed as JSON)."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment


def main(deal_slug: str, regulator: str) -> None:
    setup_test_environment()
    client = Client()
    paths = {
        "regulators": "/api/v1/regulators/",
        "parties": "/api/v1/parties/",
        "deals": "/api/v1/deals/",
        "reviews (open, one regulator)": f"/api/v1/reviews/?regulator={regulator}&open=true",
        "deal timeline": f"/api/v1/deals/{deal_slug}/timeline/",
        "events feed": "/api/v1/events/",
        "deadlines": "/api/v1/deadlines/?after=2000-01-01",
    }
    counts = {}
    for name, path in paths.items():
        counts[name] = {}
        for size in (1, 10, 50, 200):
            joiner = "&" if "?" in path else "?"
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(f"{path}{joiner}page_size={size}", HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, (path, response.status_code, response.content[:300])
            counts[name][str(size)] = len(ctx.captured_queries)
    print(json.dumps(counts))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
