"""Public reads are kept under the data version: a repeat costs one query, a 304 builds
no body, and a change anywhere is seen at once (api.response_cache)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DealFactory, ReviewFactory, UserFactory
from tracker.models import Deal, Review
from tracker.services import transition_review

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def get(api, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, **headers)
    return response, len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        f"{V1}/deals/",
        f"{V1}/deals/amazon-anthropic/",
        f"{V1}/deals/amazon-anthropic/timeline/",
        f"{V1}/reviews/",
        f"{V1}/events/",
        f"{V1}/deadlines/",
        f"{V1}/parties/anthropic/",
    ],
)
def test_a_repeated_read_is_the_same_bytes_for_one_query(api, demo, url):
    first, built = get(api, url)
    again, kept = get(api, url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"
    assert built > 1 and kept == 1


def test_if_none_match_is_a_304_without_building_the_body(api, demo):
    url = f"{V1}/reviews/?status=phase_2"
    tag = api.get(url)["ETag"]
    response, queries = get(api, url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304 and response.content == b"" and response["ETag"] == tag
    assert queries == 1
    other, _ = get(api, url, HTTP_IF_NONE_MATCH='"not-this-one"')
    assert other.status_code == 200 and other["ETag"] == tag


def test_a_detail_keeps_the_etag_that_if_match_checks(editor_api, demo):
    url = f"{V1}/deals/amazon-anthropic/"
    built = editor_api.get(url)["ETag"]
    kept = editor_api.get(url)["ETag"]
    assert kept == built
    response = editor_api.patch(url, {"summary": "Changed."}, format="json", HTTP_IF_MATCH=kept)
    assert response.status_code == 200


def test_an_edit_is_seen_at_once(editor_api, demo):
    url = f"{V1}/deals/amazon-anthropic/"
    before = editor_api.get(url)
    editor_api.patch(url, {"summary": "A new summary."}, format="json")
    after = editor_api.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after.json()["summary"] == "A new summary."


def test_a_status_change_is_seen_at_once_in_lists(api, demo):
    review = Review.objects.filter(status="phase_1").first() or ReviewFactory(status="phase_1")
    url = f"{V1}/reviews/?status=phase_2"
    before = api.get(url).json()["count"]
    transition_review(
        review_id=review.pk,
        to_status="phase_2",
        occurred_on=datetime.date.today(),
        notify=False,
        source_url="https://www.gov.uk/cma-cases/example",
    )
    assert api.get(url).json()["count"] == before + 1


def test_a_new_row_from_a_bulk_write_is_seen(api, demo):
    url = f"{V1}/deals/?page_size=200"
    before = api.get(url).json()["count"]
    Deal.objects.bulk_create([DealFactory.build(title="Bulk-made deal", slug="bulk-made-deal")])
    assert api.get(url).json()["count"] == before + 1


def test_answers_differ_by_address_host_and_format(api, demo, settings):
    settings.ALLOWED_HOSTS = ["testserver", "tracker.example"]
    page_one = api.get(f"{V1}/deals/?page_size=1")
    page_two = api.get(f"{V1}/deals/?page_size=1&page=2")
    assert page_one.json()["results"] != page_two.json()["results"]
    elsewhere = api.get(f"{V1}/deals/?page_size=1", HTTP_HOST="tracker.example")
    assert (
        "tracker.example" in elsewhere.json()["next"]
        and "tracker.example" not in page_one.json()["next"]
    )
    csv = api.get(f"{V1}/deals/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    html = api.get(f"{V1}/deals/", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")


def test_csv_is_never_kept(api, demo):
    def streamed():
        with CaptureQueriesContext(connection) as ctx:
            body = b"".join(api.get(f"{V1}/deals/?format=csv").streaming_content)
        return body, len(ctx.captured_queries)

    (first, built), (again, rebuilt) = streamed(), streamed()
    assert again == first and b"amazon-anthropic" in first
    assert rebuilt == built > 1


def test_errors_are_not_kept(api, demo):
    missing, _ = get(api, f"{V1}/deals/not-yet/")
    assert missing.status_code == 404
    refused, queries = get(api, f"{V1}/reviews/?status=nonsense")
    assert refused.status_code == 400 and "status" in refused.json()["errors"]


def test_upcoming_deadlines_move_with_the_day(api, db):
    # The key holds today's date: an earlier day's list of upcoming deadlines is not served.
    ReviewFactory(status="phase_1", next_deadline=datetime.date(2027, 6, 1))
    with time_machine.travel(datetime.datetime(2025, 1, 1, 12, tzinfo=datetime.UTC), tick=False):
        on_new_year = api.get(f"{V1}/deadlines/?page_size=200").json()
    with time_machine.travel(datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.UTC), tick=False):
        later = api.get(f"{V1}/deadlines/?page_size=200").json()
    assert (on_new_year["count"], later["count"]) == (1, 0)


def test_keeping_off_still_validates(api, demo, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    url = f"{V1}/reviews/"
    first, built = get(api, url)
    again, rebuilt = get(api, url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and rebuilt == built > 1


def test_readers_own_rows_are_not_kept_for_others(api, db):
    # Subscriptions are each reader's own: never answered from what another reader saw.
    first, second = UserFactory(username="first"), UserFactory(username="second")
    deal = DealFactory()
    api.force_authenticate(first)
    assert api.post(f"{V1}/subscriptions/", {"deal": deal.slug}, format="json").status_code == 201
    assert api.get(f"{V1}/subscriptions/").json()["count"] == 1
    api.force_authenticate(second)
    assert api.get(f"{V1}/subscriptions/").json()["count"] == 0
