"""Conditional GET and shared caching of the public pages."""

import datetime

import pytest
import time_machine
from django.utils.http import http_date

from tests.factories import EventFactory
from tracker.models import Deal

pytestmark = pytest.mark.django_db

PAGE = "/deals/amazon-anthropic/"


def test_a_page_has_an_etag_a_last_modified_and_short_public_caching(client, demo):
    response = client.get(PAGE)
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}


def test_a_matching_etag_gets_a_304_with_no_body(client, demo):
    etag = client.get(PAGE)["ETag"]
    response = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and "max-age=60" in response["Cache-Control"]


def test_if_modified_since_the_last_change_gets_a_304(client, demo):
    last_modified = client.get(PAGE)["Last-Modified"]
    assert client.get(PAGE, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(PAGE, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_a_new_event_renews_the_etag(client, demo):
    etag = client.get(PAGE)["ETag"]
    deal = Deal.objects.get(slug="amazon-anthropic")
    EventFactory(deal=deal, review=None, title="Fresh news")
    response = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Fresh news" in response.content.decode()
    assert response["ETag"] != etag


def test_an_edit_renews_the_etag(client, demo):
    etag = client.get(PAGE)["ETag"]
    event = Deal.objects.get(slug="amazon-anthropic").events.first()
    event.title = "Corrected title"
    event.save()
    response = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Corrected title" in response.content.decode()


def test_pages_have_their_own_etags(client, demo):
    assert client.get(PAGE)["ETag"] != client.get("/deals/microsoft-openai/")["ETag"]
    assert client.get("/search/?q=a")["ETag"] != client.get("/search/?q=b")["ETag"]


def test_a_new_day_renews_the_etag(client, demo):
    # Upcoming deadlines and the picture's "today" move with the date.
    etag = client.get(PAGE)["ETag"]
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)):
        assert client.get(PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_errors_are_not_cached_publicly(client, demo):
    response = client.get("/deals/nope/")
    assert response.status_code == 404 and "public" not in response.get("Cache-Control", "")
    bad = client.get("/search/", {"q": "x" * 101})
    assert bad.status_code == 400 and "public" not in bad.get("Cache-Control", "")


def test_a_rendered_page_is_kept_under_its_etag_and_served_after_one_query(
    client, demo, django_assert_num_queries
):
    first = client.get(PAGE)
    with django_assert_num_queries(1):
        again = client.get(PAGE)
    assert (
        again.status_code == 200
        and again.content == first.content
        and again["ETag"] == first["ETag"]
    )


def test_a_new_party_to_the_deal_is_shown_at_once(client, demo):
    from tests.factories import DealPartyFactory

    before = client.get(PAGE)
    DealPartyFactory(
        deal=Deal.objects.get(slug="amazon-anthropic"), party__name="Newco Holdings", role="partner"
    )
    after = client.get(PAGE, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and "Newco Holdings" in after.content.decode()


def test_with_the_render_cache_off_every_request_renders(
    client, demo, settings, django_assert_num_queries
):
    from tests.pages.test_query_counts import QUERIES

    settings.PAGES_RENDER_CACHE_SECONDS = 0
    client.get(PAGE)
    with django_assert_num_queries(QUERIES["deal"]):
        assert client.get(PAGE).status_code == 200
