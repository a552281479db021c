"""A new review saved with its past at once (`create_with_past`) is what creating it and making
the same moves through the transition service, one by one, leave."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import DealFactory, RegulatorFactory
from tracker.choices import Outcome, ReviewStatus
from tracker.models import DeadlinePeriod, Event, Review
from tracker.services import Move, TransitionNotAllowed, create_with_past, transition_review
from tracker.signals import event_recorded

pytestmark = pytest.mark.django_db

PAGE = "https://www.gov.uk/cma-cases/example-merger-inquiry"
S = ReviewStatus


def move(to_status, on, **extra):
    return Move(
        to_status=to_status, occurred_on=on, source_url=PAGE, source_title="Case page", **extra
    )


PASTS = {
    "phase 1, still open": [move(S.PHASE_1, datetime.date(2024, 3, 4))],
    "phase 1, closed without a decision": [
        move(S.PHASE_1, datetime.date(2024, 3, 4)),
        move(
            S.CLOSED,
            datetime.date(2024, 4, 2),
            outcome=Outcome.NOT_QUALIFYING,
            stage="Found not to qualify",
        ),
    ],
    "phase 1 decided late": [
        move(S.PHASE_1, datetime.date(2024, 1, 8)),
        move(S.CLEARED, datetime.date(2024, 6, 3)),
    ],
    "phase 2, cleared with remedies": [
        move(S.PHASE_1, datetime.date(2024, 1, 26), stage="Phase 1"),
        move(S.PHASE_2, datetime.date(2024, 4, 4), stage="Phase 2"),
        move(
            S.CLEARED_WITH_CONDITIONS,
            datetime.date(2024, 12, 5),
            outcome_wording="Accepted undertakings",
        ),
    ],
    "phase 2, abandoned": [
        move(S.PHASE_1, datetime.date(2024, 1, 26)),
        move(S.PHASE_2, datetime.date(2024, 4, 4)),
        move(S.ABANDONED, datetime.date(2024, 5, 7)),
    ],
}
# What differs between two reviews that went through the same moves: who they are and when.
VOLATILE = {
    "id",
    "created_at",
    "updated_at",
    "status_changed_at",
    "search_document",
    "history_id",
    "history_date",
}


def new_review(regulator, deal):
    """A review as the importer makes one for a case seen for the first time, unsaved."""
    return Review(
        deal=deal,
        regulator=regulator,
        url=PAGE,
        title="Example merger inquiry",
        status=S.MONITORING,
    )


def picture(review: Review) -> dict:
    """Everything the moves wrote about `review`, without ids and clock times."""

    def rows(queryset):
        return [
            {k: v for k, v in row.items() if k not in VOLATILE and not k.endswith("review_id")}
            for row in queryset
        ]

    return {
        "review": rows(Review.objects.filter(pk=review.pk).values()),
        "review history": rows(review.history.order_by("history_id").values()),
        "periods": rows(DeadlinePeriod.objects.filter(review=review).order_by("id").values()),
        "events": rows(Event.objects.filter(review=review).order_by("id").values()),
        "event history": rows(
            Event.history.filter(review_id=review.pk).order_by("history_id").values()
        ),
    }


@pytest.mark.parametrize("past", PASTS.values(), ids=PASTS.keys())
def test_the_past_written_at_once_is_the_past_moved_one_by_one(past):
    cma, deal = RegulatorFactory(slug="cma", short_name="CMA"), DealFactory()
    one_by_one, at_once = new_review(cma, deal), new_review(cma, deal)
    one_by_one.save()
    for step in past:
        transition_review(review_id=one_by_one.pk, **vars(step), notify=False)

    events = create_with_past(at_once, past)

    written, moved = picture(at_once), picture(one_by_one)
    for part in moved:
        assert written[part] == moved[part], part
    assert [e.pk for e in events] == list(
        Event.objects.filter(review=at_once).order_by("id").values_list("pk", flat=True)
    )
    # Not a vacuous match: the CMA's phases have rules, and every event has its history record.
    assert moved["periods"] and len(moved["event history"]) == len(moved["events"]) >= len(past)


def test_listeners_hear_of_each_past_change_as_not_news():
    heard = []

    def listener(sender, event, notify, **kwargs):
        heard.append((event.pk is not None, event.to_status, notify))

    event_recorded.connect(listener)
    try:
        create_with_past(
            new_review(RegulatorFactory(slug="cma"), DealFactory()),
            PASTS["phase 2, cleared with remedies"],
        )
    finally:
        event_recorded.disconnect(listener)
    assert heard == [
        (True, S.PHASE_1, False),
        (True, S.PHASE_2, False),
        (True, S.CLEARED_WITH_CONDITIONS, False),
    ]


@pytest.mark.parametrize(
    ("past", "refusal"),
    [
        # Checked as the transition service checks: the lifecycle's moves ...
        (
            [
                move(S.PHASE_1, datetime.date(2024, 3, 4)),
                move(S.PHASE_1, datetime.date(2024, 3, 5)),
            ],
            TransitionNotAllowed,
        ),
        # ... the outcomes a status can carry ...
        (
            [
                move(S.PHASE_1, datetime.date(2024, 3, 4)),
                move(S.CLEARED, datetime.date(2024, 4, 2), outcome=Outcome.ABANDONED),
            ],
            ValidationError,
        ),
        # ... dates ...
        (
            [
                move(S.PHASE_1, datetime.date(2024, 3, 4)),
                move(S.CLEARED, datetime.date(2024, 2, 1)),
            ],
            ValidationError,
        ),
        # ... and sources.
        ([Move(to_status=S.PHASE_1, occurred_on=datetime.date(2024, 3, 4))], ValidationError),
    ],
)
def test_a_refused_move_writes_nothing(past, refusal):
    review = new_review(RegulatorFactory(slug="cma"), DealFactory())

    with pytest.raises(refusal):
        create_with_past(review, past)

    assert review.pk is None
    assert not Review.objects.exists() and not Review.history.exists()
    assert not Event.objects.exists() and not DeadlinePeriod.objects.exists()


def test_a_saved_review_moves_through_the_transition_service_instead():
    review = new_review(RegulatorFactory(slug="cma"), DealFactory())
    review.save()

    with pytest.raises(ValueError, match="transition_review"):
        create_with_past(review, PASTS["phase 1, still open"])

    assert not Event.objects.exists()


def test_a_registrys_past_can_be_marked_as_history_from_the_start():
    review = new_review(RegulatorFactory(slug="cma"), DealFactory())

    events = create_with_past(
        review, PASTS["phase 2, cleared with remedies"], recorded_as_history=True
    )

    assert sorted(e.pk for e in events) == sorted(
        Event.objects.filter(review=review).values_list("pk", flat=True)
    )
    assert set(
        Event.objects.filter(review=review).values_list("recorded_as_history", flat=True)
    ) == {True}
    assert set(
        Event.history.filter(review_id=review.pk).values_list("recorded_as_history", flat=True)
    ) == {True}
    assert not Event.objects.filter(recorded_as_history=False).exists()
