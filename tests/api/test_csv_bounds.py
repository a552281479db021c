"""CSV exports are bounded for anyone but staff: API_CSV_MAX_ROWS rows a part, the next
part named in `Link`, and a rate of their own."""

import csv
import io

import pytest

from api.throttles import CSVExportThrottle
from tests.factories import UserFactory
from tracker.models import Event

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/events/"


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode()
    return [row["id"] for row in csv.DictReader(io.StringIO(body))]


def next_link(response) -> str | None:
    link = response.get("Link")
    return link.split(">", 1)[0].lstrip("<") if link else None


def test_an_anonymous_export_comes_in_parts_each_naming_the_next(api, demo, settings):
    settings.API_CSV_MAX_ROWS = 40
    total = Event.objects.count()
    seen, url, parts = [], f"{EVENTS}?format=csv", 0
    while url:
        response = api.get(url)
        assert response["X-Rows-Limit"] == "40"
        part = ids(response)
        assert len(part) <= 40
        seen += part
        parts += 1
        url = next_link(response)
    assert parts == -(-total // 40) and len(seen) == len(set(seen)) == total


def test_staff_export_every_row_at_once(api, demo, settings):
    settings.API_CSV_MAX_ROWS = 40
    api.force_authenticate(UserFactory(is_staff=True))
    response = api.get(EVENTS, {"format": "csv"})
    assert "Link" not in response and "X-Rows-Limit" not in response
    assert len(ids(response)) == Event.objects.count()


@pytest.mark.parametrize("part", ["0", "-1", "two", "101", "1e3"])
def test_a_bad_part_is_a_400_naming_it(api, demo, part):
    response = api.get(EVENTS, {"format": "csv", "part": part})
    assert response.status_code == 400
    assert "part" in response.json()["errors"]


def test_exports_have_a_rate_apart_from_json_reads(api, demo, monkeypatch):
    monkeypatch.setattr(CSVExportThrottle, "THROTTLE_RATES", {"csv": "2/minute"})
    assert api.get(EVENTS, {"format": "csv"}).status_code == 200
    assert api.get(EVENTS, {"format": "csv"}).status_code == 200
    assert api.get(EVENTS, {"format": "csv"}).status_code == 429
    assert api.get(EVENTS).status_code == 200  # JSON reads are not counted against it
