"""A list costs the same number of queries for 1 row as for 50, on the path production
takes (the same code whether or not queries are logged)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulators.models import Court
from tests.factories import (
    DealFactory,
    DealPartyFactory,
    EventFactory,
    PartyFactory,
    RegulatorFactory,
    ReviewFactory,
)
from tracker.choices import EventKind
from tracker.services import link_deal

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def build(n):
    for _ in range(n):
        regulator = RegulatorFactory()
        court = Court.objects.create(
            name=f"Court {regulator.slug}",
            short_name="C",
            slug=f"c-{regulator.slug}",
            jurisdiction="GB",
        )
        deal = DealFactory()
        DealPartyFactory(deal=deal)
        DealPartyFactory(deal=deal, role="target")
        review = ReviewFactory(deal=deal, regulator=regulator, court=court)
        link_deal(review, DealFactory())  # a review covering two deals
        EventFactory(review=review)
        EventFactory(review=review, deal=None)  # the review's as a whole
        EventFactory(review=None, deal=deal, kind=EventKind.INVESTMENT, amount=5)
    return deal, review


def count(api, url):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, {"page_size": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries)


ENDPOINTS = [
    "regulators/",
    "courts/",
    "parties/",
    "deals/",
    "reviews/",
    "events/",
    "timeline",
    "review-events",
]


def url_for(name, deal, review):
    if name == "timeline":
        return f"{V1}/deals/{deal.slug}/timeline/"
    if name == "review-events":
        return f"{V1}/reviews/{review.pk}/events/"
    return f"{V1}/{name}"


@pytest.mark.parametrize("name", ENDPOINTS)
def test_query_count_does_not_grow_with_rows(api, name):
    deal, review = build(1)
    one = count(api, url_for(name, deal, review))
    build(49)
    PartyFactory.create_batch(0)
    fifty = count(api, url_for(name, deal, review))
    assert one == fifty, f"{name}: {one} queries for 1 row, {fifty} for 50"


def test_query_counts_are_pinned(api):
    """The numbers a reader of the API docs can rely on (and a regression would change)."""
    deal, review = build(3)
    counts = {name: count(api, url_for(name, deal, review)) for name in ENDPOINTS}
    # First the data version (the key of the kept answer, api.response_cache); then, e.g. for
    # reviews/: the count, the page's rows with their regulator, court and lead deal
    # (select_related), and every deal the page's reviews cover (one prefetch for the page).
    assert counts == {
        "regulators/": 3,
        "courts/": 3,
        "parties/": 3,
        "deals/": 4,
        "reviews/": 4,
        "events/": 2,
        "timeline": 4,
        "review-events": 4,
    }
    # Asked again with nothing changed: the data version alone.
    assert {name: count(api, url_for(name, deal, review)) for name in ENDPOINTS} == dict.fromkeys(
        ENDPOINTS, 1
    )


def test_detail_query_counts_are_pinned(api):
    deal, review = build(3)
    # The data version, the deal, then its parties, its proceedings and their roles on it.
    assert count(api, f"{V1}/deals/{deal.slug}/") == 5
    # The data version, the review with its regulator, court and lead deal, its deals.
    assert count(api, f"{V1}/reviews/{review.pk}/") == 3


@pytest.mark.postgres
def test_a_search_costs_a_probe_more_than_its_list(api):
    deal, review = build(3)
    # The data version, the probe of the matches, the count, the rows, the covered deals.
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"{V1}/reviews/", {"q": review.deal.title.split()[0]})
    assert response.status_code == 200 and response.json()["count"] == 3
    assert len(ctx.captured_queries) == 5
