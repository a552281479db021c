import datetime

import pytest
from django.db import transaction

from notices.choices import Channel, DeliveryState, Frequency
from notices.models import Delivery
from notices.payloads import event_data
from tests.factories import (
    SOURCE_URL,
    DealFactory,
    EventFactory,
    RegulatorFactory,
    ReviewFactory,
    SubscriptionFactory,
    UserFactory,
    WebhookEndpointFactory,
)
from tracker.choices import DealRole, EventKind, ReviewStatus
from tracker.models import Event
from tracker.services import link_deal, transition_review

pytestmark = pytest.mark.django_db


def move(review, to_status=ReviewStatus.PHASE_2):
    return transition_review(
        source_url=SOURCE_URL,
        review_id=review.pk,
        to_status=to_status,
        occurred_on=datetime.date(2024, 5, 2),
    ).event


@pytest.fixture
def review():
    return ReviewFactory(status=ReviewStatus.PHASE_1)


def test_user_following_a_deal_and_its_regulator_gets_one_notice_attributed_to_the_deal(review):
    user = UserFactory()
    deal_sub = SubscriptionFactory(user=user, deal=review.deal)
    SubscriptionFactory(user=user, regulator=review.regulator)
    SubscriptionFactory(user=user)  # everything

    event = move(review)

    deliveries = list(Delivery.objects.filter(event=event))
    assert len(deliveries) == 1
    assert deliveries[0].channel == Channel.EMAIL
    assert deliveries[0].subscription == deal_sub


def test_each_level_of_subscription_matches_and_unrelated_ones_do_not(review):
    by_review = SubscriptionFactory(review=review)
    by_deal = SubscriptionFactory(deal=review.deal)
    by_regulator = SubscriptionFactory(regulator=review.regulator)
    everything = SubscriptionFactory()
    other_deal = SubscriptionFactory(deal=ReviewFactory().deal)
    other_regulator = SubscriptionFactory(regulator=RegulatorFactory())

    event = move(review)

    reached = set(Delivery.objects.filter(event=event).values_list("user_id", flat=True))
    assert reached == {s.user_id for s in (by_review, by_deal, by_regulator, everything)}
    assert other_deal.user_id not in reached and other_regulator.user_id not in reached


def test_digest_subscribers_inactive_users_and_unwanted_kinds_get_no_immediate_notice(review):
    SubscriptionFactory(deal=review.deal, frequency=Frequency.DAILY)
    SubscriptionFactory(deal=review.deal, user=UserFactory(is_active=False))
    SubscriptionFactory(deal=review.deal, event_kinds=[EventKind.FILING])
    wants_it = SubscriptionFactory(
        deal=review.deal, event_kinds=[EventKind.STATUS_CHANGE, EventKind.FILING]
    )

    event = move(review)

    assert list(Delivery.objects.filter(event=event).values_list("user_id", flat=True)) == [
        wants_it.user_id
    ]


def test_webhook_subscribers_get_one_delivery_per_active_endpoint_and_one_email(review):
    user = UserFactory()
    SubscriptionFactory(user=user, deal=review.deal, by_email=True, by_webhook=True)
    SubscriptionFactory(user=user, regulator=review.regulator, by_email=False, by_webhook=True)
    first, second = WebhookEndpointFactory(user=user), WebhookEndpointFactory(user=user)
    WebhookEndpointFactory(user=user, is_active=False)

    event = move(review)

    deliveries = Delivery.objects.filter(event=event)
    assert sorted(
        deliveries.filter(channel=Channel.WEBHOOK).values_list("endpoint_id", flat=True)
    ) == [
        first.pk,
        second.pk,
    ]
    assert deliveries.filter(channel=Channel.EMAIL).count() == 1
    assert set(deliveries.values_list("state", flat=True)) == {DeliveryState.PENDING}


def test_deliveries_are_recorded_in_the_transaction_and_enqueued_only_after_commit(
    review, django_capture_on_commit_callbacks
):
    SubscriptionFactory(deal=review.deal)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = move(review)
    assert Delivery.objects.filter(event=event, state=DeliveryState.PENDING).count() == 1
    assert len(callbacks) == 1  # the enqueue, waiting for commit


def test_a_rolled_back_status_change_leaves_no_delivery_and_enqueues_nothing(
    review, django_capture_on_commit_callbacks
):
    SubscriptionFactory(deal=review.deal)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                move(review)
                raise RuntimeError("the editor's request failed after the change")
    assert callbacks == []
    assert not Delivery.objects.exists()
    review.refresh_from_db()
    assert review.status == ReviewStatus.PHASE_1


def test_a_proceeding_on_several_deals_changes_once_and_a_user_following_two_of_them_gets_one_notice():
    study = ReviewFactory(status=ReviewStatus.MONITORING)
    second, third = DealFactory(), DealFactory()
    link_deal(study, second)
    link_deal(study, third)
    both = UserFactory(username="follows-two")
    SubscriptionFactory(user=both, deal=study.deal)
    SubscriptionFactory(user=both, deal=second)
    only_third = UserFactory(username="follows-third")
    SubscriptionFactory(user=only_third, deal=third)
    unrelated = UserFactory(username="follows-another")
    SubscriptionFactory(user=unrelated, deal=DealFactory())

    event = move(study, ReviewStatus.CLOSED)

    assert Event.objects.filter(review=study, kind=EventKind.STATUS_CHANGE).count() == 1
    deliveries = Delivery.objects.filter(event=event)
    assert sorted(deliveries.values_list("user__username", flat=True)) == [
        "follows-third",
        "follows-two",
    ]
    for deal in (study.deal, second, third):
        assert event in Event.objects.on_timeline_of(deal)
    payload = event_data(event)
    assert [d["slug"] for d in payload["deals"]] == [study.deal.slug, second.slug, third.slug]
    assert {d["role"] for d in payload["deals"]} == {"reviews"}


def test_the_webhook_body_says_what_the_proceeding_is_to_each_deal(review):
    stake = DealFactory()
    link_deal(review, stake, DealRole.REACHES)
    payload = event_data(move(review, ReviewStatus.CLOSED))
    assert [(d["slug"], d["role"]) for d in payload["deals"]] == [
        (review.deal.slug, "reviews"),
        (stake.slug, "reaches"),
    ]
    own = EventFactory(deal=stake, review=None)
    assert [(d["slug"], d["role"]) for d in event_data(own)["deals"]] == [(stake.slug, None)]


def test_a_status_change_that_decides_reaches_those_who_follow_decisions_only(review):
    decisions = SubscriptionFactory(deal=review.deal, event_kinds=[EventKind.DECISION])
    moved = move(review)  # into phase 2: no decision
    assert not Delivery.objects.filter(event=moved).exists()
    prohibited = move(review, ReviewStatus.PROHIBITED)
    [delivery] = Delivery.objects.filter(event=prohibited)
    assert delivery.subscription == decisions
    assert prohibited.kinds == {EventKind.STATUS_CHANGE, EventKind.DECISION}


def test_a_filing_recorded_through_the_service_reaches_followers_and_history_does_not(review):
    from tracker.services import record_event

    SubscriptionFactory(deal=review.deal, event_kinds=[EventKind.FILING])
    news = record_event(
        Event(
            review=review,
            kind=EventKind.FILING,
            occurred_on=datetime.date(2024, 5, 2),
            title="Filed",
        )
    )
    past = record_event(
        Event(
            review=review, kind=EventKind.FILING, occurred_on=datetime.date(2024, 4, 2), title="Old"
        ),
        history=True,
    )
    assert Delivery.objects.filter(event=news).count() == 1
    assert past.recorded_as_history and not Delivery.objects.filter(event=past).exists()
    with pytest.raises(ValueError):
        record_event(news)  # saved already: an edit is no news
