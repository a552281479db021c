import datetime

import pytest

from tests.factories import RegulatorFactory, ReviewFactory
from tracker.choices import ReviewStatus, ReviewType
from tracker.models import Review
from tracker.stats import quartiles, review_durations


def test_quartiles_interpolate_between_ranks():
    assert quartiles([10]) == (10.0, 10.0, 10.0)
    assert quartiles([10, 20]) == (12.5, 15.0, 17.5)
    assert quartiles([1, 2, 3, 4, 5]) == (2.0, 3.0, 4.0)
    with pytest.raises(ValueError):
        quartiles([])


@pytest.mark.django_db
def test_review_durations_grouped_by_regulator_type_and_outcome():
    cma = RegulatorFactory(short_name="CMA", slug="cma")
    opened = datetime.date(2024, 1, 1)
    for days in (30, 40, 50):
        ReviewFactory(
            regulator=cma,
            status=ReviewStatus.CLEARED,
            outcome="cleared",
            opened_on=opened,
            closed_on=opened + datetime.timedelta(days=days),
        )
    ReviewFactory(
        regulator=cma,
        status=ReviewStatus.PROHIBITED,
        outcome="prohibited",
        opened_on=opened,
        closed_on=opened + datetime.timedelta(days=200),
    )
    ReviewFactory(regulator=cma, status=ReviewStatus.PHASE_1)  # open: not counted
    rows = review_durations(Review.objects.all())
    assert rows == [
        {
            "regulator": "cma",
            "review_type": ReviewType.MERGER_CONTROL,
            "outcome": "cleared",
            "count": 3,
            "median_days": 40.0,
            "q1_days": 35.0,
            "q3_days": 45.0,
            "min_days": 30,
            "max_days": 50,
        },
        {
            "regulator": "cma",
            "review_type": ReviewType.MERGER_CONTROL,
            "outcome": "prohibited",
            "count": 1,
            "median_days": 200.0,
            "q1_days": 200.0,
            "q3_days": 200.0,
            "min_days": 200,
            "max_days": 200,
        },
    ]
    assert review_durations(Review.objects.all(), group_by=["regulator"])[0]["count"] == 4


@pytest.mark.django_db
def test_review_durations_refuses_unknown_grouping():
    with pytest.raises(ValueError, match="sector"):
        review_durations(Review.objects.all(), group_by=["sector"])
