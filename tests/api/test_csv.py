import csv
import io

import pytest

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def rows(response):
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize(
    ("path", "count"),
    [("regulators/", 5), ("parties/", 9), ("deals/", 6), ("reviews/", 13), ("events/", 48),
     ("deals/amazon-anthropic/timeline/", 11)],
)
def test_every_list_streams_csv_by_format_and_by_accept(api, demo, path, count):
    by_format = rows(api.get(f"{V1}/{path}", {"format": "csv"}))
    by_accept = rows(api.get(f"{V1}/{path}", HTTP_ACCEPT="text/csv"))
    assert len(by_format) == len(by_accept) == count
    assert by_format == by_accept


def test_csv_applies_the_same_filters_and_flattens_nesting(api, demo):
    data = rows(api.get(f"{V1}/reviews/", {"format": "csv", "regulator": "cma", "status": "cleared"}))
    assert len(data) == 1
    assert data[0]["regulator.slug"] == "cma" and data[0]["deal.slug"] == "microsoft-inflection"


def test_csv_ignores_pagination_and_lists_parties(api, demo):
    data = rows(api.get(f"{V1}/deals/", {"format": "csv", "page_size": 2}))
    assert len(data) == 6
    amazon = next(r for r in data if r["slug"] == "amazon-anthropic")
    assert amazon["parties"] == "amazon, Amazon, investor; anthropic, Anthropic, target"


def test_csv_errors_are_still_reported(api, demo):
    response = api.get(f"{V1}/reviews/", {"format": "csv", "bogus": "1"})
    assert response.status_code == 400
