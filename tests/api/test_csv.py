import csv
import io

import pytest

from regulators.models import Regulator
from tracker.models import Deal, Event, Party, Review

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def rows(response):
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


COUNTS = {
    "regulators/": Regulator.objects.count,
    "parties/": Party.objects.count,
    "deals/": Deal.objects.count,
    "reviews/": Review.objects.count,
    "events/": Event.objects.count,
    "deals/amazon-anthropic/timeline/": lambda: Event.objects.on_timeline_of(
        Deal.objects.get(slug="amazon-anthropic")
    ).count(),
}


@pytest.mark.parametrize("path", list(COUNTS))
def test_every_list_streams_csv_by_format_and_by_accept(api, demo, path):
    count = COUNTS[path]()
    by_format = rows(api.get(f"{V1}/{path}", {"format": "csv"}))
    by_accept = rows(api.get(f"{V1}/{path}", HTTP_ACCEPT="text/csv"))
    assert len(by_format) == len(by_accept) == count
    assert by_format == by_accept


def test_csv_applies_the_same_filters_and_flattens_nesting(api, demo):
    data = rows(
        api.get(f"{V1}/reviews/", {"format": "csv", "regulator": "cma", "status": "cleared"})
    )
    assert len(data) == 1
    assert data[0]["regulator.slug"] == "cma" and data[0]["deal.slug"] == "microsoft-inflection"


def test_csv_ignores_pagination_and_lists_parties(api, demo):
    data = rows(api.get(f"{V1}/deals/", {"format": "csv", "page_size": 2}))
    assert len(data) == Deal.objects.count() > 2
    amazon = next(r for r in data if r["slug"] == "amazon-anthropic")
    assert amazon["parties"] == "amazon, Amazon, investor; anthropic, Anthropic, target"


def test_csv_errors_are_still_reported(api, demo):
    response = api.get(f"{V1}/reviews/", {"format": "csv", "bogus": "1"})
    assert response.status_code == 400


def test_the_header_comes_from_the_serializer_not_the_first_row(api, demo):
    response = api.get(f"{V1}/deals/amazon-anthropic/timeline/", {"format": "csv"})
    data = rows(response)
    first = Event.objects.on_timeline_of(Deal.objects.get(slug="amazon-anthropic")).order_by(
        "occurred_on", "id"
    )[0]
    assert data[0]["title"] == first.title and data[0]["review"] == str(first.review_id or "")
    assert data[0]["source_type"] == first.source_type and "source_read_on" in data[0]
    assert all(r["deal"] for r in data)  # a review's own events are listed under its lead deal
    with_review = [r for r in data if r["review"]]
    assert len(with_review) >= 4 and all(r["regulator"] for r in with_review)
    reviews = rows(api.get(f"{V1}/reviews/", {"format": "csv", "opened_after": "2100-01-01"}))
    assert reviews == []


def test_review_csv_has_the_proceeding_columns(api, demo):
    response = api.get(f"{V1}/reviews/", {"format": "csv", "regulator": "ftc"})
    data = rows(response)
    assert {
        "deals",
        "outcome",
        "outcome_wording",
        "court.slug",
        "court.short_name",
        "docket_number",
        "judge",
    } <= set(data[0])
    study = next(r for r in data if r["outcome"] == "study_concluded")
    assert study["deals"].count(";") >= 1  # "slug, title; slug, title; ..."


def test_dates_known_to_the_month_are_written_so(api, demo):
    Deal.objects.filter(slug="amazon-anthropic").update(
        announced_on="2023-09-01", announced_precision="month"
    )
    data = rows(api.get(f"{V1}/deals/", {"format": "csv"}))
    amazon = next(r for r in data if r["slug"] == "amazon-anthropic")
    assert (amazon["announced_on"], amazon["announced_precision"]) == ("2023-09", "month")


@pytest.mark.parametrize(
    ("path", "params", "first_column"),
    [
        ("reviews/", {"opened_after": "2100-01-01"}, "id"),
        ("events/", {"occurred_after": "2100-01-01"}, "id"),
        ("deadlines/", {}, "review"),
    ],
)
def test_an_empty_export_is_a_header_line(api, demo, path, params, first_column):
    response = api.get(f"{V1}/{path}", {"format": "csv", **params})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert body.count("\n") == 1 and body.startswith(f"{first_column},")


@pytest.mark.parametrize("path", ["subscriptions/", "webhooks/", "deliveries/"])
def test_an_empty_list_of_ones_own_rows_is_a_csv_header_too(editor_api, path):
    response = editor_api.get(f"{V1}/{path}", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("id,") and response.content.count(b"\n") == 1
