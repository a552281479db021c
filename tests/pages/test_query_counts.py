"""Each page costs a fixed number of queries, however many rows it shows: one for the
page's validators (freshness), then the page's own reads."""

import datetime

import pytest
from django.utils import timezone

from regulators.models import Regulator
from tests.conftest import on_postgres
from tests.factories import DealPartyFactory, EventFactory, ReviewFactory
from tracker.choices import PeriodState
from tracker.models import ClockStop, DeadlinePeriod, Deal, Party, ReviewDeal

pytestmark = pytest.mark.django_db

QUERIES = {
    # "lead roles": whether each proceeding with events of its own reviews its lead deal.
    # freshness, latest events, lead roles, upcoming deadlines, regulators' open counts,
    # latest open per regulator
    "home": 6,
    "deal": 8,  # freshness, deal, parties, proceedings, their other deals, timeline events, clock stops, periods
    "proceeding": 7,  # freshness, proceeding, deals covered, events, clock stops, extensions, periods
    "regulator": 6,  # freshness, regulator, open count, open page, upcoming deadlines, durations
    "party": 4,  # freshness, party, deals with roles, proceedings
    "deadlines": 3,  # freshness, count, page
    "search": 4,  # freshness, deals, parties, proceedings
}
# On PostgreSQL the indexed search first probes the ids of matching deals and proceedings.
SEARCH_PROBES = 2


def grow(deal: Deal, regulator: Regulator, proceedings: int) -> None:
    """More of everything a deal page shows: proceedings, each with events, a clock stop,
    deadline periods and another deal covered, and more parties."""
    today = timezone.localdate()
    for n in range(proceedings):
        review = ReviewFactory(
            deal=deal,
            regulator=regulator,
            status="phase_2",
            next_deadline=today + datetime.timedelta(days=n + 1),
        )
        EventFactory.create_batch(3, review=review, deal=None)
        EventFactory(review=review, deal=None, kind="decision", source_type="regulator")
        ClockStop.objects.create(
            review=review,
            phase="cma_phase_2",
            stopped_on=datetime.date(2024, 5, 1),
            reason="s.109 notice",
        )
        DeadlinePeriod.objects.create(
            review=review,
            phase="cma_phase_2",
            due_on=datetime.date(2024, 9, 1),
            state=PeriodState.SUPERSEDED,
        )
        DeadlinePeriod.objects.create(
            review=review, phase="cma_phase_2", due_on=today + datetime.timedelta(days=n + 1)
        )
        ReviewDeal.objects.create(review=review, deal=Deal.objects.exclude(pk=deal.pk).first())
    DealPartyFactory.create_batch(3, deal=deal)


def test_home(client, due_soon, django_assert_num_queries):
    with django_assert_num_queries(QUERIES["home"]):
        assert client.get("/").status_code == 200
    grow(Deal.objects.get(slug="amazon-anthropic"), Regulator.objects.get(slug="ec"), 8)
    with django_assert_num_queries(QUERIES["home"]):
        assert client.get("/").status_code == 200


def test_deal_with_one_proceeding_and_with_many(client, demo, django_assert_num_queries):
    deal = Deal.objects.get(slug="microsoft-mistral")
    assert deal.reviews.count() == 1
    with django_assert_num_queries(QUERIES["deal"]):
        assert client.get(deal.get_absolute_url()).status_code == 200
    grow(deal, Regulator.objects.get(slug="cma"), 12)
    with django_assert_num_queries(QUERIES["deal"]):
        assert client.get(deal.get_absolute_url()).status_code == 200


def test_proceeding(client, demo, django_assert_num_queries):
    quiet = ReviewFactory(
        deal=Deal.objects.get(slug="nvidia-runai"), regulator=Regulator.objects.get(slug="cma")
    )
    with django_assert_num_queries(QUERIES["proceeding"]):
        assert client.get(quiet.get_absolute_url()).status_code == 200
    busy = Deal.objects.get(slug="vodafone-three").reviews.first()
    with django_assert_num_queries(QUERIES["proceeding"]):
        assert client.get(busy.get_absolute_url()).status_code == 200


def test_regulator_with_one_open_proceeding_and_with_many(
    client, due_soon, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES["regulator"]):
        assert client.get("/regulators/cma/").status_code == 200
    grow(Deal.objects.get(slug="amazon-anthropic"), Regulator.objects.get(slug="cma"), 60)
    with django_assert_num_queries(QUERIES["regulator"]):
        assert client.get("/regulators/cma/?page=2").status_code == 200


def test_party(client, demo, django_assert_num_queries):
    few = Party.objects.get(slug="anthropic")
    with django_assert_num_queries(QUERIES["party"]):
        assert client.get(few.get_absolute_url()).status_code == 200
    for deal in Deal.objects.exclude(deal_parties__party=few)[:5]:
        DealPartyFactory(deal=deal, party=few, role="partner")
    with django_assert_num_queries(QUERIES["party"]):
        assert client.get(few.get_absolute_url()).status_code == 200


def test_deadlines(client, due_soon, django_assert_num_queries):
    with django_assert_num_queries(QUERIES["deadlines"]):
        assert client.get("/deadlines/").status_code == 200
    grow(Deal.objects.get(slug="amazon-anthropic"), Regulator.objects.get(slug="ec"), 30)
    with django_assert_num_queries(QUERIES["deadlines"]):
        assert client.get("/deadlines/").status_code == 200


def test_search(client, demo, django_assert_num_queries):
    expected = QUERIES["search"] + (SEARCH_PROBES if on_postgres() else 0)
    with django_assert_num_queries(expected):
        assert client.get("/search/", {"q": "microsoft"}).status_code == 200
    with django_assert_num_queries(expected):
        assert (
            client.get("/search/", {"q": "merger"}).status_code == 200
        )  # matches many deals and proceedings


def test_a_304_costs_one_query(client, demo, django_assert_num_queries):
    etag = client.get("/deals/amazon-anthropic/")["ETag"]
    with django_assert_num_queries(1):
        assert client.get("/deals/amazon-anthropic/", HTTP_IF_NONE_MATCH=etag).status_code == 304
