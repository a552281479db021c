import datetime

import pytest

from tests.factories import SOURCE_URL, RegulatorFactory, ReviewFactory
from tracker.choices import ReviewStatus, ReviewType
from tracker.models import Review
from tracker.services import transition_review
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
            "preliminary_count": 0,
            "preliminary_median_days": None,
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
            "preliminary_count": 0,
            "preliminary_median_days": None,
        },
    ]
    assert review_durations(Review.objects.all(), group_by=["regulator"])[0]["count"] == 4


@pytest.mark.django_db
def test_a_duration_counts_from_the_formal_opening_with_the_preliminary_stage_beside():
    """The CMA's Microsoft / Inflection inquiry: its invitation to comment (the CMA's own
    preliminary inquiry), then phase 1, then clearance."""
    review = ReviewFactory(status=ReviewStatus.MONITORING, opened_on=None)
    for to_status, day in (
        (ReviewStatus.PRELIMINARY_INQUIRY, datetime.date(2024, 4, 24)),
        (ReviewStatus.PHASE_1, datetime.date(2024, 7, 16)),
        (ReviewStatus.CLEARED, datetime.date(2024, 9, 4)),
    ):
        transition_review(
            review_id=review.pk, to_status=to_status, occurred_on=day, source_url=SOURCE_URL
        )
    review.refresh_from_db()
    assert (review.opened_on, review.formally_opened_on) == (
        datetime.date(2024, 4, 24),
        datetime.date(2024, 7, 16),
    )
    (row,) = review_durations(Review.objects.all(), group_by=["regulator"])
    # 16 July to 4 September is 50 days; the 83 days of the inquiry before it are beside.
    assert (row["median_days"], row["preliminary_count"], row["preliminary_median_days"]) == (
        50.0,
        1,
        83,
    )


@pytest.mark.django_db
def test_review_durations_refuses_unknown_grouping():
    with pytest.raises(ValueError, match="sector"):
        review_durations(Review.objects.all(), group_by=["sector"])
