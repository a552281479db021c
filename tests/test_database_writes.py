"""The one-statement writes of the sending paths do what the ORM's would, on SQLite and
PostgreSQL alike."""

import datetime

import pytest
from django.utils import timezone

from database.writes import insert_row, update_row, update_row_and_insert
from tests.factories import DealFactory, ReviewFactory
from tracker.choices import DealStatus
from tracker.models import Deal, ReviewDeal

pytestmark = pytest.mark.django_db


def test_an_update_changes_only_the_row_its_conditions_name():
    deal, other = DealFactory(status=DealStatus.PENDING), DealFactory(status=DealStatus.PENDING)
    completed = datetime.date(2025, 3, 4)

    assert (
        update_row(
            Deal,
            {"status": DealStatus.COMPLETED, "completed_on": completed},
            {"id": deal.pk, "status": DealStatus.PENDING},
        )
        == 1
    )
    # The condition no longer holds: nothing changes.
    assert (
        update_row(
            Deal, {"status": DealStatus.ABANDONED}, {"id": deal.pk, "status": DealStatus.PENDING}
        )
        == 0
    )

    deal.refresh_from_db()
    other.refresh_from_db()
    assert (deal.status, deal.completed_on) == (DealStatus.COMPLETED, completed)
    assert (other.status, other.completed_on) == (DealStatus.PENDING, None)


def test_an_insert_writes_the_row_as_given():
    review, deal = ReviewFactory(), DealFactory()
    at = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)

    insert_row(ReviewDeal, {"review": review.pk, "deal": deal.pk, "created_at": at})

    link = ReviewDeal.objects.get(review=review, deal=deal)
    assert link.created_at == at


def test_an_update_with_an_insert_reports_the_rows_updated_and_always_inserts():
    deal, review = DealFactory(status=DealStatus.PENDING), ReviewFactory()
    extra = DealFactory()
    at = timezone.now()

    changed = update_row_and_insert(
        Deal,
        {"status": DealStatus.BLOCKED},
        {"id": deal.pk, "status": DealStatus.PENDING},
        ReviewDeal,
        {"review": review.pk, "deal": deal.pk, "created_at": at},
    )
    unchanged = update_row_and_insert(
        Deal,
        {"status": DealStatus.UNWOUND},
        {"id": deal.pk, "status": DealStatus.PENDING},
        ReviewDeal,
        {"review": review.pk, "deal": extra.pk, "created_at": at},
    )

    assert (changed, unchanged) == (1, 0)
    assert Deal.objects.get(pk=deal.pk).status == DealStatus.BLOCKED
    assert set(ReviewDeal.objects.filter(review=review).values_list("deal_id", flat=True)) >= {
        deal.pk,
        extra.pk,
    }
