"""What a newcomer hit in the admin: wide inline tables, no favicon, unstable autocomplete pages."""

import warnings

import pytest
from django.contrib.staticfiles import finders
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from tracker.demo import load_demo
from tracker.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


@pytest.mark.parametrize(
    "app_label, model_name, field_name",
    [
        ("tracker", "event", "deal"),
        ("tracker", "review", "deal"),
        ("tracker", "reviewdeal", "deal"),
        ("tracker", "dealparty", "party"),
        ("tracker", "event", "review"),
        ("notices", "subscription", "deal"),
    ],
)
def test_autocomplete_pages_are_ordered(admin_client, demo, app_label, model_name, field_name):
    params = {
        "app_label": app_label,
        "model_name": model_name,
        "field_name": field_name,
        "term": "a",
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = admin_client.get("/admin/autocomplete/", params)
    assert response.status_code == 200
    assert response.json()["results"], "the search term matches demo rows"
    assert not [w for w in caught if issubclass(w.category, UnorderedObjectListWarning)]


def test_autocomplete_lists_deals_in_the_deal_order(admin_client, demo):
    params = {"app_label": "tracker", "model_name": "event", "field_name": "deal", "term": ""}
    texts = [
        row["text"] for row in admin_client.get("/admin/autocomplete/", params).json()["results"]
    ]
    from tracker.models import Deal

    assert texts == [str(deal) for deal in Deal.objects.all()[: len(texts)]]


def test_admin_pages_link_the_favicon_and_the_layout_stylesheet(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert 'rel="icon"' in html and "tracker/favicon.svg" in html
    assert "tracker/admin.css" in html
    assert "Antitrust case tracker" in html  # the site header is still ours
    assert finders.find("tracker/favicon.svg") and finders.find("tracker/admin.css")


def test_favicon_ico_points_at_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("tracker/favicon.svg")


def test_clock_stop_and_extension_rows_use_a_compact_url_input(admin_client, demo):
    review = (
        Review.objects.filter(clock_stops__isnull=False, deadline_extensions__isnull=False)
        .distinct()
        .first()
    )
    assert review is not None, "the demo has a review with a clock stop and an extension"
    html = admin_client.get(
        reverse("admin:tracker_review_change", args=[review.pk])
    ).content.decode()
    for prefix in ("clock_stops", "deadline_extensions"):
        before, after = html.split(f'name="{prefix}-0-source_url"', 1)
        row_input = before.rsplit("<input", 1)[1] + after.split(">", 1)[0]
        assert "compact-url" in row_input
        # No "Currently: <link> Change:" pair in the table: it made the rows wider than the page.
        group = html.split(f'id="{prefix}-group"', 1)[1].split('-group"', 1)[0]
        assert "Currently:" not in group
