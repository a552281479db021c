import pytest

from bench import generate_data
from tracker.choices import EventKind
from tracker.lifecycle import CLOSED_STATUSES, can_transition
from tracker.models import Deal, Event, Review, ReviewDeal


def assert_consistent_with_the_lifecycle():
    changes: dict[int, list[Event]] = {}
    for event in Event.objects.filter(kind=EventKind.STATUS_CHANGE).order_by(
        "review_id", "occurred_on", "id"
    ):
        changes.setdefault(event.review_id, []).append(event)
    for review in Review.objects.all():
        chain = changes.get(review.pk, [])
        for earlier, later in zip(chain, chain[1:], strict=False):
            assert earlier.to_status == later.from_status
        for event in chain:
            assert can_transition(event.from_status, event.to_status), (
                event.from_status,
                event.to_status,
            )
        if chain:
            assert chain[-1].to_status == review.status
        assert (review.closed_on is not None) == (review.status in CLOSED_STATUSES)


def generated(capsys, *args):
    return generate_data.main(list(args))


@pytest.mark.django_db
def test_generates_the_requested_counts_and_obeys_the_lifecycle(capsys):
    out = generated(capsys, "--deals", "40", "--events", "1500", "--reviews-per-deal", "3")
    assert Deal.objects.count() == 40
    assert Review.objects.count() == 120
    assert Event.objects.count() == 1500
    assert "Generated 40 deals, 120 reviews, 1500 events" in out
    assert_consistent_with_the_lifecycle()
    assert Event.objects.filter(kind=EventKind.INVESTMENT, amount__isnull=True).count() == 0
    # Each review covers its lead deal, as one saved by the model does.
    assert set(ReviewDeal.objects.values_list("review_id", "deal_id")) == set(
        Review.objects.values_list("pk", "deal_id")
    )


@pytest.mark.django_db
def test_reset_removes_generated_data_only(capsys):
    from tests.factories import DealFactory

    kept = DealFactory(slug="amazon-anthropic")
    generated(capsys, "--deals", "10", "--events", "100")
    generated(capsys, "--deals", "5", "--events", "50", "--reset")
    assert Deal.objects.count() == 6
    assert Deal.objects.filter(pk=kept.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_copy_path_on_postgres_obeys_the_lifecycle(capsys):
    generated(capsys, "--deals", "30", "--events", "2000", "--seed", "7")
    assert Event.objects.count() == 2000
    assert_consistent_with_the_lifecycle()
